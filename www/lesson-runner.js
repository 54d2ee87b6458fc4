// @ts-check
// The lesson runner inside <ml-playground>: a panel over the plot that shows a lesson's step
// (step k of n, its text with formulas, the control it points at, its question and whether the
// question is answered yet), Back and Next. Each step hands its state to the element; the element
// hands every snapshot back (`update`), and the step's check is read from the report and the
// state (lessons/check.js). The lessons themselves are data (www/lessons/), loaded on first use.
import { t, language } from './i18n.js';
import { fmt, h } from './util.js';
import { renderText } from './lesson-text.js';
import { current, holds } from './lessons/check.js';

/** @typedef {import('./lessons/index.js').Lesson} Lesson */
/** @typedef {import('./lessons/index.js').Step} Step */
/** @typedef {import('./lessons/check.js').Condition} Condition */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Report} Report */
/** @typedef {import('./template.js').Dom} Dom */

/** @type {Promise<typeof import('./lessons/index.js')> | null} */
let lessonsModule = null;
/** The lessons (loaded once, when a lesson is first asked for). */
export function loadLessons() {
  lessonsModule ??= import('./lessons/index.js');
  return lessonsModule;
}

/**
 * What the runner needs from its element.
 * @typedef {{
 *   root: ShadowRoot,
 *   setState: (state: Record<string, any>) => boolean,
 *   changed: () => void,
 * }} RunnerContext
 */

/** A condition's words: "test accuracy 0.812 (> 0.9)". */
function describe(/** @type {Condition} */ c, /** @type {{ report: any, state: any }} */ ctx) {
  if (!('metric' in c)) return null;
  const [subset, name] = c.metric.includes('.') ? c.metric.split('.') : [null, c.metric];
  const label = name === 'epoch' ? t('page.epoch') : t('lesson.metric', { subset: t(`page.${subset}`), name: t(`report.${name}`) });
  const v = current(c, ctx);
  const value = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : fmt(v, 3)) : '–';
  return t('lesson.condition', { name: label, value, goal: `${c.op} ${c.value}` });
}

export class LessonRunner {
  /** @param {Dom} dom @param {RunnerContext} ctx */
  constructor(dom, ctx) {
    this.dom = dom;
    this.ctx = ctx;
    /** @type {Lesson | null} */
    this.lesson = null;
    /** The step shown (0-based). */
    this.index = 0;
    /** @type {Set<number>} the steps whose question has been answered */
    this.done = new Set();
    /** @type {Set<string>} what the learner did in this step (exports, links) */
    this.actions = new Set();
    /** @type {{ report: Report, state: State } | null} the latest snapshot */
    this.last = null;
    dom.lessonBack.onclick = () => this.go(this.index - 1);
    dom.lessonNext.onclick = () => (this.lesson && this.index + 1 < this.lesson.steps.length ? this.go(this.index + 1) : this.stop());
    dom.lessonExit.onclick = () => this.stop();
  }

  /** The lesson's id and the step (1-based, as in links), or null when no lesson runs. */
  get position() {
    return this.lesson ? { lesson: this.lesson.id, step: this.index + 1 } : null;
  }

  /**
   * Starts lesson `id` at `step` (1-based). With `keepState` the element's state stays (a
   * link that carries the learner's own state too); otherwise the step's state is set.
   * Resolves to false when there is no such lesson.
   * @param {string} id @param {number} [step] @param {{ keepState?: boolean }} [options]
   */
  async start(id, step = 1, { keepState = false } = {}) {
    const { lessonById } = await loadLessons();
    const lesson = lessonById(id);
    if (!lesson) return false;
    this.lesson = lesson;
    this.done = new Set();
    this.go(Math.max(0, Math.min(lesson.steps.length - 1, Math.round(step) - 1 || 0)), keepState);
    return true;
  }

  /** Shows step `index` and, unless `keepState`, sets its state. */
  go(/** @type {number} */ index, keepState = false) {
    const lesson = this.lesson;
    if (!lesson || index < 0 || index >= lesson.steps.length) return;
    this.index = index;
    this.actions = new Set();
    // (a kept state is the one shown: its snapshot still answers the question)
    if (!keepState) {
      this.last = null;
      this.ctx.setState(lesson.steps[index].state);
    }
    this.show();
    this.ctx.changed();
  }

  /** Ends the lesson: the panel goes, the playground stays as it is. */
  stop() {
    this.lesson = null;
    this.dom.lesson.hidden = true;
    this.highlight(null);
    this.ctx.changed();
  }

  /** The step shown. @returns {Step | null} */
  get step() {
    return this.lesson?.steps[this.index] ?? null;
  }

  /** Draws the panel for the current step in the page's language. */
  show() {
    const lesson = this.lesson;
    const step = this.step;
    const dom = this.dom;
    if (!lesson || !step) return;
    const lang = language();
    dom.lesson.hidden = false;
    dom.lessonTitle.textContent = lesson.title[lang];
    dom.lessonProgress.textContent = t('lesson.progress', { k: this.index + 1, n: lesson.steps.length });
    renderText(dom.lessonText, step.text[lang]);
    dom.lessonTask.hidden = !step.task;
    dom.lessonTaskText.textContent = step.task ? step.task[lang] : '';
    dom.lessonBack.disabled = this.index === 0;
    dom.lessonNext.textContent = t(this.index + 1 < lesson.steps.length ? 'lesson.next' : 'lesson.finish');
    this.highlight(step.highlight ?? null);
    this.showCheck();
  }

  /** Marks the control the step points at (a settings row by its path, or `#id`). */
  highlight(/** @type {string | null} */ target) {
    const root = this.ctx.root;
    for (const el of root.querySelectorAll('.lesson-highlight')) el.classList.remove('lesson-highlight');
    if (!target) return;
    const el = target.startsWith('#') ? root.getElementById(target.slice(1)) : root.querySelector(`[data-key="${CSS.escape(target)}"]`);
    el?.classList.add('lesson-highlight');
  }

  /** Whether the current step's question is answered by what is shown now. */
  get met() {
    const check = this.step?.check;
    if (!check || !this.last) return false;
    const ctx = { report: this.last.report, state: this.last.state, actions: this.actions };
    return check.all.every((c) => holds(c, ctx));
  }

  /** Shows the question's state: done (for good, once met) or how far the numbers are. */
  showCheck() {
    const step = this.step;
    const dom = this.dom;
    if (!step?.check) {
      dom.lessonStatus.textContent = '';
      dom.lessonNext.classList.add('primary');
      return;
    }
    if (this.met) this.done.add(this.index);
    const done = this.done.has(this.index);
    dom.lessonTask.classList.toggle('done', done);
    dom.lessonNext.classList.toggle('primary', done);
    const ctx = { report: this.last?.report, state: this.last?.state };
    const parts = this.last ? step.check.all.map((c) => describe(c, ctx)).filter((s) => s !== null) : [];
    const status = done ? t('lesson.done') : parts.length ? t('lesson.not_yet', { values: parts.join(t('lesson.separator')) }) : t('lesson.not_yet.plain');
    if (dom.lessonStatus.textContent !== status) dom.lessonStatus.textContent = status;
  }

  /** A new snapshot: the question is checked against it. */
  update(/** @type {Report} */ report, /** @type {State} */ state) {
    this.last = { report, state };
    if (this.lesson) this.showCheck();
  }

  /** Something the learner did that a question may ask for (`onnx`, `export`, `link`). */
  noteAction(/** @type {string} */ name) {
    if (!this.lesson) return;
    this.actions.add(name);
    this.showCheck();
  }

  /** Relabels the panel (after a change of language or a rebuilt settings panel). */
  relabel() {
    if (this.lesson) this.show();
  }
}

/** The lesson panel's markup (in the element's template). */
export function lessonMarkup() {
  const exit = h('button', { type: 'button', id: 'lesson-exit', className: 'lesson-exit', textContent: '×' });
  exit.dataset.i18nAria = 'lesson.exit';
  exit.dataset.i18nTitle = 'lesson.exit';
  const back = h('button', { type: 'button', id: 'lesson-back' });
  back.dataset.i18n = 'lesson.back';
  const all = h('a', { id: 'lesson-all', href: new URL('../lessons.html', import.meta.url).href });
  all.dataset.i18n = 'lesson.all';
  const status = h('p', { id: 'lesson-status', className: 'lesson-status' });
  status.setAttribute('aria-live', 'polite');
  const section = h('section', { id: 'lesson', className: 'lesson', hidden: true },
    h('div', { className: 'lesson-head' },
      h('h2', { id: 'lesson-title' }),
      h('span', { id: 'lesson-progress', className: 'lesson-progress' }),
      exit),
    h('div', { id: 'lesson-text', className: 'lesson-text' }),
    h('div', { id: 'lesson-task', className: 'lesson-task', hidden: true },
      h('p', { id: 'lesson-task-text', className: 'lesson-task-text' }),
      status),
    h('div', { className: 'lesson-nav' }, back, h('button', { type: 'button', id: 'lesson-next' }), all));
  section.setAttribute('aria-labelledby', 'lesson-title');
  return section;
}
