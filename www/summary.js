// @ts-check
// A model's summary in words and in maths. Rust says what the model is as data (a code, values
// and its formula's terms: src/model/summary.rs); this module words it from the catalog
// (`summary.<code>`) as plain text, and writes its formula as TeX filled with the current numbers
// (typeset by math.js): the linear score, σ or softmax of the scores, a tree's impurity at the
// root with its counts and a hovered point's decision path, a network's layer equations, and the
// training objective and the optimiser's update rule with the current learning rate.
import { t, wordError } from './i18n.js';
import { texText } from './math.js';

/** @typedef {import('./types.js').Summary} Summary */
/** @typedef {import('./types.js').Score} Score */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').TreeView} TreeView */

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';

/**
 * A learned number as the summary shows it (src/format.rs `number`): 3 significant digits, plain
 * while the exponent is in −3…2, else `1.23e150`; the minus sign is U+2212.
 * @param {number} v
 */
export function number(v) {
  if (Number.isNaN(v)) return 'NaN';
  const sign = v < 0 ? '−' : '';
  if (!Number.isFinite(v)) return `${sign}∞`;
  if (v === 0) return '0';
  const m = Math.abs(v);
  const [mantissa, e] = m.toExponential(2).split('e');
  const exponent = Number(e);
  if (exponent >= -3 && exponent < 3) return `${sign}${m.toFixed(Math.max(0, 2 - exponent))}`;
  return `${sign}${mantissa}e${exponent}`;
}

/** `number` for TeX: a `-` sign, `×10^{e}` for scientific notation. @param {number} v */
export function texNumber(v) {
  const s = number(v).replace('−', '-');
  if (s.endsWith('∞')) return s.replace('∞', '\\infty');
  const e = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  return e ? `${e[1]}\\times10^{${e[2]}}` : s;
}

/** How many inputs the summary's formula reads (from its terms when the session named none). @param {Summary} s */
function inputCount(s) {
  if (s.inputs?.length) return s.inputs.length;
  let n = 0;
  const scores = s.formula.kind === 'linear' ? [s.formula.score] : s.formula.kind === 'logistic' ? s.formula.scores : [];
  for (const score of scores) for (const term of score.terms) for (const m of term.feature.matchAll(/x(\d+)/g)) n = Math.max(n, Number(m[1]));
  return Math.max(n, 1);
}

/** The name of input `j` (0-based): the session's, else `x` alone or `x₁`, `x₂`, …. @param {Summary} s @param {number} j */
export function inputName(s, j) {
  const named = s.inputs?.[j];
  if (named) return named;
  return inputCount(s) === 1 ? 'x' : `x${String(j + 1).replace(/\d/g, (d) => SUBSCRIPT[Number(d)])}`;
}

/** A feature's parts: `x1` / `x` (an input, with a power), `·`, `sin(`, `)`. */
const TOKENS = /sin\(|\)|·|x(\d*)([⁰¹²³⁴⁵⁶⁷⁸⁹]*)/g;

/** A feature (`x1²`, `x1·x2`, `sin(x1)`) with its inputs named. @param {Summary} s @param {string} feature */
export function featureText(s, feature) {
  let out = '';
  for (const m of feature.matchAll(TOKENS)) out += m[0].startsWith('x') ? `${inputName(s, m[1] ? Number(m[1]) - 1 : 0)}${m[2]}` : m[0];
  return out || feature;
}

/** An input's name in TeX: `x_{1}` for x₁ / x1, `x`, or the column's name as text. @param {string} name */
function inputTex(name) {
  const m = /^x([₀-₉]*|\d*)$/.exec(name);
  if (m) {
    const digits = m[1].replace(/[₀-₉]/g, (c) => String(SUBSCRIPT.indexOf(c)));
    return digits ? `x_{${digits}}` : 'x';
  }
  return texText(name);
}

/** A feature in TeX. @param {Summary} s @param {string} feature */
export function featureTex(s, feature) {
  let out = '';
  for (const m of feature.matchAll(TOKENS)) {
    if (m[0] === 'sin(') out += '\\sin(';
    else if (m[0] === ')') out += ')';
    else if (m[0] === '·') out += '\\,';
    else {
      out += inputTex(inputName(s, m[1] ? Number(m[1]) - 1 : 0));
      if (m[2]) out += `^{${[...m[2]].map((c) => SUPERSCRIPT.indexOf(c)).join('')}}`;
    }
  }
  return out || texText(feature);
}

/** `2.00·x − 3.00`: a score as text (signs between the terms, as Rust wrote it). @param {Summary} s @param {Score} score */
export function scoreText(s, score) {
  const parts = [...score.terms.map((term) => [term.coefficient, featureText(s, term.feature)]), [score.intercept, '']];
  return parts.map(([v, name], i) => {
    const sign = Number(v) < 0 ? '− ' : i === 0 ? '' : '+ ';
    return `${sign}${number(Math.abs(Number(v)))}${name ? `·${name}` : ''}`;
  }).join(' ');
}

/** A score in TeX: `0.700\,x + 0.500`. @param {Summary} s @param {Score} score */
export function scoreTex(s, score) {
  const parts = [...score.terms.map((term) => [term.coefficient, featureTex(s, term.feature)]), [score.intercept, '']];
  return parts.map(([v, name], i) => {
    const sign = Number(v) < 0 ? '- ' : i === 0 ? '' : '+ ';
    return `${sign}${texNumber(Math.abs(Number(v)))}${name ? `\\,${name}` : ''}`;
  }).join(' ');
}

/** Values that are measured numbers (3 significant digits), not counts. */
const MEASURED = new Set(['init', 'learning_rate', 'oob', 'gamma', 'coef0', 'epsilon', 'p', 'impurity']);

/**
 * A value of the summary for its wording: numbers as counts or to 3 digits, codes worded,
 * messages worded.
 * @param {Summary} s @param {string} name @param {unknown} v
 */
function valueText(s, name, v) {
  if (v && typeof v === 'object') return wordError(/** @type {any} */ (v));
  if (typeof v === 'number') return MEASURED.has(name) || (name === 'leaves' && s.code.startsWith('forest')) ? number(v) : String(v);
  const text = String(v);
  if (name === 'measure') return t(`summary.measure.${text}`);
  if (name === 'metric') return t(`summary.knn.metric.${text}`, { p: number(Number(s.values.p)) });
  if (name === 'votes') return t(`summary.knn.votes.${text}`);
  return text;
}

/** The network's chain of layers as text: ` → 8 tanh → 8 tanh → logistic output (2 classes)`. @param {Summary} s */
function layersText(s) {
  if (s.formula.kind !== 'network') return '';
  const layers = s.formula.layers;
  return layers.map((layer, i) => (i < layers.length - 1
    ? ` → ${layer.units} ${t(`option.hidden_layers.${layer.activation}`)}`
    : t(`summary.output.${layer.activation}`, { k: layer.units }))).join('');
}

/**
 * The summary as one line of text in the page's language (`summary.<code>` with its values and
 * formula).
 * @param {Summary} s
 * @returns {string}
 */
export function summaryText(s) {
  /** @type {Record<string, string | number>} */
  const values = {};
  for (const [k, v] of Object.entries(s.values ?? {})) values[k] = valueText(s, k, v);
  if (s.values?.n != null) values.n = Number(s.values.n);
  const f = s.formula;
  if (f.kind === 'linear') values.score = scoreText(s, f.score);
  if (f.kind === 'logistic') {
    values.score = scoreText(s, f.scores[0]);
    values.scores = f.scores.map((score, c) => `z${c} = ${scoreText(s, score)}`).join('; ');
  }
  if (f.kind === 'network') values.layers = layersText(s);
  if (s.code === 'ensemble') {
    const member = { ...s, code: String(s.values.member), values: { ...s.values, n: s.values.inputs ?? 0 } };
    values.member = summaryText(/** @type {Summary} */ (member));
  }
  return t(`summary.${s.code}`, values);
}

/** A hidden activation in TeX, applied to `arg`. @param {string} activation @param {string} arg */
function activationTex(activation, arg) {
  switch (activation) {
    case 'tanh': return `\\tanh(${arg})`;
    case 'relu': return `\\max(0,\\, ${arg})`;
    case 'leaky_relu': return `\\operatorname{LeakyReLU}(${arg})`;
    case 'sigmoid': return `\\sigma(${arg})`;
    case 'softmax': return `\\operatorname{Softmax}(${arg})`;
    default: return arg;
  }
}

/** The model's formula in TeX with its current numbers ('' when it has none). @param {Summary} s */
export function formulaTex(s) {
  const f = s.formula;
  switch (f.kind) {
    case 'linear':
      return `\\hat{y} = ${scoreTex(s, f.score)}`;
    case 'logistic':
      if (f.scores.length === 1) return `P(y{=}1 \\mid x) = \\sigma(z) = \\frac{1}{1 + e^{-z}}, \\quad z = ${scoreTex(s, f.scores[0])}`;
      return `\\begin{aligned} P(y{=}c \\mid x) &= \\operatorname{Softmax}(z)_c = \\frac{e^{z_c}}{\\sum_k e^{z_k}} \\\\ ${f.scores.map((score, c) => `z_{${c}} &= ${scoreTex(s, score)}`).join(' \\\\ ')} \\end{aligned}`;
    case 'tree': {
      const counts = f.root_counts;
      const total = counts.reduce((a, b) => a + b, 0);
      const size = `${texText(t('summary.tex.depth'))} = ${f.depth},\\; ${texText(t('summary.tex.leaves'))} = ${f.leaves}`;
      if (!counts.length || !total) {
        return `${size};\\quad \\operatorname{MSE}_{${texText(t('summary.tex.root'))}} = \\tfrac{1}{N}\\sum_i (y_i - \\bar y)^2 = ${texNumber(f.root_impurity)}`;
      }
      // whole counts as they are (weighted counts to 3 digits)
      const count = (/** @type {number} */ c) => (Math.abs(c - Math.round(c)) < 1e-9 * Math.max(1, c) ? String(Math.round(c)) : texNumber(c));
      const share = counts.map((c) => `\\tfrac{${count(c)}}{${count(total)}}`);
      const root = texText(t('summary.tex.root'));
      const rule = f.criterion === 'entropy'
        ? `H_{${root}} = -\\sum_k p_k \\log_2 p_k = -${share.map((p) => `${p}\\log_2 ${p}`).join(' - ')}`
        : `G_{${root}} = 1 - \\sum_k p_k^2 = 1 - ${share.map((p) => `\\left(${p}\\right)^2`).join(' - ')}`;
      return `${size};\\quad ${rule} = ${texNumber(f.root_impurity)}`;
    }
    case 'network': {
      const lines = f.layers.map((layer, i) => {
        const h = i === f.layers.length - 1 ? '\\hat{y}' : `h^{(${i + 1})}`;
        const input = i === 0 ? 'x' : `h^{(${i})}`;
        const skip = f.skips && i > 0 && i < f.layers.length - 1 ? ` + ${input}` : '';
        const w = `\\underset{${layer.units}\\times${layer.inputs}}{W^{(${i + 1})}}`;
        return `${h} &= ${activationTex(layer.activation, `${w} ${input} + b^{(${i + 1})}`)}${skip}`;
      });
      return `\\begin{aligned} ${lines.join(' \\\\ ')} \\end{aligned}`;
    }
    default:
      return otherTex(s);
  }
}

/** The other families' formulas, from their values. @param {Summary} s */
function otherTex(s) {
  const v = /** @type {Record<string, number>} */ (s.values ?? {});
  const n = (/** @type {string} */ k) => texNumber(Number(v[k]));
  switch (s.code) {
    case 'svm.linear': return 'f(x) = \\sum_i \\alpha_i y_i K(x_i, x) + b, \\quad K(u, v) = u^\\top v';
    case 'svm.poly': return `f(x) = \\sum_i \\alpha_i y_i K(x_i, x) + b, \\quad K(u, v) = (${n('gamma')}\\, u^\\top v + ${n('coef0')})^{${v.degree}}`;
    case 'svm.rbf': return `f(x) = \\sum_i \\alpha_i y_i K(x_i, x) + b, \\quad K(u, v) = \\exp(-${n('gamma')}\\, \\lVert u - v \\rVert^2)`;
    case 'svm.sigmoid': return `f(x) = \\sum_i \\alpha_i y_i K(x_i, x) + b, \\quad K(u, v) = \\tanh(${n('gamma')}\\, u^\\top v + ${n('coef0')})`;
    case 'svr.linear': case 'svr.poly': case 'svr.rbf': case 'svr.sigmoid': {
      const kernel = {
        'svr.linear': 'u^\\top v',
        'svr.poly': `(${n('gamma')}\\, u^\\top v + ${n('coef0')})^{${v.degree}}`,
        'svr.rbf': `\\exp(-${n('gamma')}\\, \\lVert u - v \\rVert^2)`,
        'svr.sigmoid': `\\tanh(${n('gamma')}\\, u^\\top v + ${n('coef0')})`,
      }[s.code];
      return `f(x) = \\sum_i (\\alpha_i - \\alpha_i^*) K(x_i, x) + b, \\quad K(u, v) = ${kernel}, \\quad \\varepsilon = ${n('epsilon')}`;
    }
    case 'boosting.regression': return `F(x) = ${n('init')} + ${n('learning_rate')} \\sum_{m=1}^{${v.stages}} h_m(x)`;
    case 'boosting.binary': return `P(y{=}1 \\mid x) = \\sigma(F(x)), \\quad F(x) = ${n('init')} + ${n('learning_rate')} \\sum_{m=1}^{${v.stages}} h_m(x)`;
    case 'boosting.softmax': return `P(y{=}k \\mid x) = \\operatorname{Softmax}(F(x))_k, \\quad F_k(x) = F_{0k} + ${n('learning_rate')} \\sum_{m=1}^{${v.stages}} h_{mk}(x)`;
    case 'naive_bayes': return `P(c \\mid x) \\propto P(c) \\prod_{j=1}^{${v.features}} \\mathcal{N}(x_j;\\, \\mu_{cj}, \\sigma^2_{cj} + ${n('epsilon')})`;
    case 'knn': return `d(u, v) = \\Big(\\sum_j |u_j - v_j|^{${n('p')}}\\Big)^{1/${n('p')}}, \\quad k = ${v.k}`;
    case 'forest': case 'forest.oob_r2': case 'forest.oob_accuracy': return `\\hat{y}(x) = \\frac{1}{${v.trees}} \\sum_{t=1}^{${v.trees}} h_t(x)`;
    default: return '';
  }
}

/**
 * The decision path of the point that falls in `leaf` as a chain of inequalities, from the
 * tree's diagram (`x_1 \le 0.35 \to x_2 > -0.2 \to` leaf: its class or mean), or '' when there
 * is none.
 * @param {Summary} s @param {TreeView} tree @param {number} leaf @param {string[]} classNames
 */
export function treePathTex(s, tree, leaf, classNames) {
  const nodes = tree.diagram.nodes;
  /** @type {string[]} */
  const steps = [];
  let id = leaf;
  for (let guard = 0; guard < nodes.length && nodes[id]?.parent != null; guard++) {
    const parent = nodes[/** @type {number} */ (nodes[id].parent)];
    const name = inputTex(inputName(s, parent.feature ?? 0));
    steps.unshift(`${name} ${parent.left === id ? '\\le' : '>'} ${texNumber(parent.threshold ?? 0)}`);
    id = parent.id;
  }
  const node = nodes[leaf];
  if (!node) return '';
  let outcome;
  if (tree.diagram.regression) outcome = `\\hat{y} = ${texNumber(node.value[0] ?? 0)}`;
  else {
    const best = node.value.indexOf(Math.max(...node.value));
    const name = classNames[best] ?? `class ${best}`;
    const generated = /^class (\d+)$/.exec(name);
    outcome = texText(generated ? t('page.class', { n: generated[1] }) : name);
  }
  return `${steps.join(' \\;\\to\\; ')}${steps.length ? ' \\;\\to\\; ' : ''}${texText(t(node.is_leaf ? 'summary.tex.leaf' : 'summary.tex.node'))}: ${outcome}`;
}

/**
 * The training objective and the optimiser's update rule in TeX, with the settings and the
 * current learning rate (`rate`, from the schedule; the set rate when there is none); '' for a
 * model fitted in closed form.
 * @param {State} state @param {'regression' | 'classification' | 'clustering'} task @param {number} classes @param {number | null} rate
 * @param {number | null} objective the objective's current value, when known
 */
export function trainingTex(state, task, classes, rate, objective) {
  const model = /** @type {Record<string, any>} */ (state.model);
  const train = model.train;
  if (!train) return '';
  let loss = task === 'regression'
    ? 'L = \\frac{1}{n}\\sum_i (\\hat{y}_i - y_i)^2'
    : classes > 2
      ? 'L = -\\frac{1}{n}\\sum_i \\log p_{i, y_i}'
      : 'L = -\\frac{1}{n}\\sum_i \\big[y_i \\log p_i + (1 - y_i)\\log(1 - p_i)\\big]';
  /** @type {[number, number]} (l2, l1) */
  let penalty = [0, 0];
  if (model.kind === 'mlp' || model.kind === 'ensemble') penalty = [Number(model.l2 ?? 0), Number(model.l1 ?? 0)];
  if (model.kind === 'linear') penalty = [Number(model.ridge ?? 0), 0];
  if (model.kind === 'logistic') {
    const strength = Number(model.strength ?? 0);
    const kind = model.penalty?.kind ?? 'l2';
    const ratio = Number(model.penalty?.l1_ratio ?? 0.5);
    penalty = kind === 'l1' ? [0, strength] : kind === 'none' ? [0, 0] : kind === 'elastic_net' ? [strength * (1 - ratio), strength * ratio] : [strength, 0];
  }
  const half = model.kind === 'logistic' ? '\\tfrac{1}{2}' : '';
  // the data term's current value under it (the history's loss has no penalty in it)
  if (objective != null && Number.isFinite(objective)) loss = loss.replace(/^L = (.*)$/, (_, term) => `L = \\underbrace{${term}}_{${texNumber(objective)}}`);
  if (penalty[0] > 0) loss += ` + ${texNumber(penalty[0])}${half}\\lVert w \\rVert_2^2`;
  if (penalty[1] > 0) loss += ` + ${texNumber(penalty[1])}\\lVert w \\rVert_1`;
  const eta = `\\eta = ${texNumber(rate ?? Number(train.learning_rate))}`;
  const opt = train.optimizer ?? { kind: 'sgd' };
  let rule;
  if (opt.kind === 'momentum' && opt.nesterov) {
    rule = `v \\leftarrow ${texNumber(opt.beta ?? 0.9)}\\, v + \\nabla L(w), \\quad w \\leftarrow w - \\eta\\, \\big(\\nabla L(w) + ${texNumber(opt.beta ?? 0.9)}\\, v\\big)`;
  } else if (opt.kind === 'momentum') {
    rule = `v \\leftarrow ${texNumber(opt.beta ?? 0.9)}\\, v + \\nabla L(w), \\quad w \\leftarrow w - \\eta\\, v`;
  } else if (opt.kind === 'adam') {
    const b1 = texNumber(opt.beta1 ?? 0.9);
    const b2 = texNumber(opt.beta2 ?? 0.999);
    rule = `m \\leftarrow ${b1}\\, m + (1 - ${b1})\\, g, \\quad v \\leftarrow ${b2}\\, v + (1 - ${b2})\\, g^2 \\\\ w \\leftarrow w - \\eta\\, \\frac{\\hat m}{\\sqrt{\\hat v} + ${texNumber(opt.epsilon ?? 1e-8)}}, \\quad \\hat m = \\frac{m}{1 - ${b1}^t}, \\; \\hat v = \\frac{v}{1 - ${b2}^t}`;
  } else {
    rule = 'w \\leftarrow w - \\eta\\, \\nabla L(w)';
  }
  return `\\begin{gathered} ${loss} \\\\ ${rule}, \\quad ${eta} \\end{gathered}`;
}

/**
 * @typedef {{ layer: number, neuron: number, at_mean: boolean, inputs: number[], weights: number[], bias: number,
 *   z: number, activation: string, skip?: number, a: number }} NeuronSum a hovered neuron's sum (from the wasm's neuronSum)
 * @typedef {{ index: number, t: number, rate: number, grad: number, before: number, after: number,
 *   first?: number, second?: number, first_hat?: number, second_hat?: number }} UpdateTrace the optimiser's last update of one weight
 */

/** A factor in a product, bracketed when negative. @param {number} v */
const factor = (v) => (v < 0 ? `(${texNumber(v)})` : texNumber(v));

/**
 * A hovered neuron's weighted sum and activation with the numbers at the hovered point (or at the
 * data mean: said which), `z = Σ wᵢ aᵢ + b = …`, `a = f(z) = …`.
 * @param {NeuronSum} n @param {number} layers how many weight layers the network has
 */
export function neuronTex(n, layers) {
  const output = n.layer === layers;
  const name = output ? `\\hat{y}_{${n.neuron + 1}}` : `h^{(${n.layer})}_{${n.neuron + 1}}`;
  const input = (/** @type {number} */ i) => (n.layer === 1 ? `x'_{${i + 1}}` : `h^{(${n.layer - 1})}_{${i + 1}}`);
  const shown = n.weights.length <= 6 ? n.weights.map((_, i) => i) : [0, 1, 2, n.weights.length - 1];
  const terms = shown.map((i, k) => `${k === 3 && n.weights.length > 6 ? '\\cdots + ' : ''}${factor(n.weights[i])}\\cdot ${factor(n.inputs[i])}`);
  const symbolic = shown.map((i, k) => `${k === 3 && n.weights.length > 6 ? '\\cdots + ' : ''}w_{${i + 1}}${input(i)}`);
  const where = texText(t(n.at_mean ? 'maths.neuron.at_mean' : 'maths.neuron.at_point'));
  const skip = n.skip != null ? ` + ${factor(n.skip)}` : '';
  const f = n.activation === 'softmax' ? `\\operatorname{Softmax}(z)_{${n.neuron + 1}}` : activationTex(n.activation.replace(' ', '_'), 'z');
  return `\\begin{aligned} &${texText(t('maths.neuron.title'))}\\ ${name},\\ ${where} \\\\ z &= ${symbolic.join(' + ')} + b \\\\ &= ${terms.join(' + ')} + ${factor(n.bias)} = ${texNumber(n.z)} \\\\ ${name} &= ${f}${skip} = ${texNumber(n.a)} \\end{aligned}`;
}

/**
 * The optimiser's update of one named weight with this step's numbers (Adam's m̂ and v̂,
 * momentum's velocity), from the summary's `update`.
 * @param {UpdateTrace} u @param {Record<string, any>} opt the optimiser's settings @param {number} inputs the network's inputs (the first layer's fan-in)
 */
export function updateTex(u, opt, inputs) {
  const i = u.index % Math.max(1, inputs);
  const j = Math.floor(u.index / Math.max(1, inputs));
  const w = `W^{(1)}_{${j + 1},${i + 1}}`;
  const head = `${texText(t('maths.update.weight'))}\\ ${w}\\ (x_{${i + 1}} \\to h^{(1)}_{${j + 1}}),\\ t = ${u.t}:\\quad g = ${texNumber(u.grad)}`;
  const eta = texNumber(u.rate);
  let rule;
  if (opt.kind === 'adam' && u.first_hat != null && u.second_hat != null) {
    const b1 = texNumber(opt.beta1 ?? 0.9);
    const b2 = texNumber(opt.beta2 ?? 0.999);
    rule = `m = ${texNumber(u.first ?? 0)},\\; v = ${texNumber(u.second ?? 0)},\\; \\hat m = \\frac{m}{1 - ${b1}^{${u.t}}} = ${texNumber(u.first_hat)},\\; \\hat v = \\frac{v}{1 - ${b2}^{${u.t}}} = ${texNumber(u.second_hat)} \\\\ ${w} = ${texNumber(u.before)} - ${eta}\\cdot\\frac{${texNumber(u.first_hat)}}{\\sqrt{${texNumber(u.second_hat)}} + ${texNumber(opt.epsilon ?? 1e-8)}} = ${texNumber(u.after)}`;
  } else if (opt.kind === 'momentum' && u.first != null) {
    const beta = texNumber(opt.beta ?? 0.9);
    rule = opt.nesterov
      ? `v = ${texNumber(u.first)},\\quad ${w} = ${texNumber(u.before)} - ${eta}\\,(${factor(u.grad)} + ${beta}\\cdot ${factor(u.first)}) = ${texNumber(u.after)}`
      : `v = ${beta}\\, v_{\\text{prev}} + g = ${texNumber(u.first)},\\quad ${w} = ${texNumber(u.before)} - ${eta}\\cdot ${factor(u.first)} = ${texNumber(u.after)}`;
  } else {
    rule = `${w} = ${texNumber(u.before)} - ${eta}\\cdot ${factor(u.grad)} = ${texNumber(u.after)}`;
  }
  return `\\begin{gathered} ${head} \\\\ ${rule} \\end{gathered}`;
}
