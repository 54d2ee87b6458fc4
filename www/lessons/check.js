// @ts-check
// Whether a lesson step's question is answered, read from what the page shows: the report's
// numbers (`metric: 'test.accuracy'`, `'train.r2'`, `'epoch'`), the state (`state:
// 'model.hidden_layers.length'`, `'model.degree'`) and what the learner did on the page
// (`action: 'onnx'`: an export, a copied link). No DOM here: the Node test checks every lesson
// with the same code the page runs.

/** @typedef {'>' | '>=' | '<' | '<=' | '==' | '!='} Op */
/**
 * One condition: a number (or value) at a path of the report or the state compared with `value`,
 * or an action the learner has done in this step.
 * @typedef {{ metric: string, op: Op, value: number }
 *   | { state: string, op: Op, value: unknown }
 *   | { action: string }} Condition
 */
/** @typedef {{ all: Condition[] }} Check every condition holds */
/** @typedef {{ report: any, state: any, actions?: Set<string> | string[] }} Context what the page shows now */

/** The value at a dotted path (`model.hidden_layers.length`, `test.accuracy`), or undefined. */
export const valueAt = (/** @type {any} */ obj, /** @type {string} */ path) =>
  path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** Compares `a` with `b`; numbers must be finite (NaN never meets a question). */
export function compare(/** @type {unknown} */ a, /** @type {Op} */ op, /** @type {unknown} */ b) {
  if (op === '==') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (op === '!=') return JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a)) return false;
  if (op === '>') return a > b;
  if (op === '>=') return a >= b;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  return false;
}

/** The value a condition reads now (undefined for an action, or a metric of an untrained model). */
export function current(/** @type {Condition} */ c, /** @type {Context} */ ctx) {
  if ('metric' in c) return ctx.report && (ctx.report.trained || c.metric === 'epoch') ? valueAt(ctx.report, c.metric) : undefined;
  if ('state' in c) return valueAt(ctx.state, c.state);
  return undefined;
}

/** Whether one condition holds. */
export function holds(/** @type {Condition} */ c, /** @type {Context} */ ctx) {
  if ('action' in c) return [...(ctx.actions ?? [])].includes(c.action);
  return compare(current(c, ctx), c.op, c.value);
}

/** Whether every condition of `check` holds. */
export function meets(/** @type {Check} */ check, /** @type {Context} */ ctx) {
  return check.all.every((c) => holds(c, ctx));
}
