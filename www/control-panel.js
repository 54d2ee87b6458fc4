// @ts-check
// The settings panel, built from the controls-as-data in controls.js: one builder per kind of
// control makes its row and says how the row shows a state. Every change goes through `commit`
// (a state path and its new value) or `configure` (a whole new state).
import { CONTROLS } from './controls.js';
import { LIMITS } from './models.js';
import { clone, get, h } from './util.js';
import { t, language } from './i18n.js';
import { helpButton } from './help.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Scene} Scene */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').HiddenLayer} HiddenLayer */
/** @typedef {import('./controls.js').Control} Control */
/**
 * What a control's row needs from the element.
 * @typedef {{
 *   state: () => State,
 *   snapshot: () => Snapshot | null,
 *   commit: (path: string, value: unknown) => void,
 *   configure: (next: State) => void,
 *   csvRow: () => Node[],
 * }} PanelContext
 */
/** @typedef {{ c: Control, row: HTMLElement, update: (state: State, scene: Scene | undefined) => void }} Row */

/** How long a slider moved from the keyboard waits for the next key before it commits. */
const KEY_PAUSE_MS = 400;

/** The control's name, as a span before its input. */
const nameOf = (/** @type {Control} */ c) => h('span', { className: 'name', textContent: c.label });

/**
 * The builders, one per kind of control: each fills `row` and returns how it shows a state.
 * @type {{ [K in Control['type']]: (c: Control & { type: K }, row: HTMLElement, ctx: PanelContext) => Row['update'] }}
 */
const BUILDERS = {
  select(c, row, ctx) {
    const input = h('select');
    let optionsKey = '';
    const fill = (/** @type {State} */ state, /** @type {Scene | undefined} */ scene) => {
      const groups = c.groups ?? [[null, typeof c.options === 'function' ? c.options(state, scene, ctx.snapshot()?.views) : c.options ?? []]];
      const key = JSON.stringify(groups);
      if (key === optionsKey) return;
      optionsKey = key;
      input.replaceChildren();
      for (const [label, options] of groups) {
        const parent = label ? h('optgroup', { label }) : input;
        for (const [value, text] of options) parent.append(h('option', { value: JSON.stringify(value), textContent: text }));
        if (label) input.append(parent);
      }
    };
    input.onchange = () => ctx.commit(c.key, JSON.parse(input.value));
    row.append(nameOf(c), input);
    return (state, scene) => {
      fill(state, scene);
      input.value = JSON.stringify(get(state, c.key) ?? null);
    };
  },
  checkbox(c, row, ctx) {
    const input = h('input', { type: 'checkbox' });
    input.onchange = () => ctx.commit(c.key, input.checked);
    row.append(input, c.label);
    return (state) => {
      input.checked = Boolean(get(state, c.key));
    };
  },
  button(c, row, ctx) {
    const input = h('button', { type: 'button', textContent: c.label, title: c.title ?? '' });
    input.onclick = () => ctx.configure(c.apply(clone(ctx.state())));
    row.append(input);
    return () => {};
  },
  range(c, row, ctx) {
    // The slider is in the setting's units (or round steps of a log scale) and says its value
    // (aria-valuetext). A held arrow key moves it at every repeat but commits once: when the key
    // is released, or after a short pause; a pointer commits when it lets go.
    const { min, max, step } = c.slider;
    const input = h('input', { type: 'range', min: String(min), max: String(max), step: String(step) });
    const out = h('output');
    const show = (/** @type {number} */ v) => {
      const text = c.format ? c.format(v) : String(v);
      out.textContent = text;
      input.setAttribute('aria-valuetext', text);
    };
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let keyDown = false;
    const commit = () => {
      clearTimeout(timer);
      timer = undefined;
      const v = c.fromSlider(Number(input.value));
      if (v !== get(ctx.state(), c.key)) ctx.commit(c.key, v);
    };
    input.oninput = () => show(c.fromSlider(Number(input.value)));
    input.onchange = () => {
      if (!keyDown) return commit();
      clearTimeout(timer);
      timer = setTimeout(commit, KEY_PAUSE_MS);
    };
    input.onkeydown = () => {
      keyDown = true;
    };
    input.onkeyup = () => {
      keyDown = false;
      if (timer !== undefined) commit();
    };
    input.onblur = () => {
      keyDown = false;
      if (timer !== undefined) commit();
    };
    row.append(nameOf(c), input, out);
    return (state) => {
      const root = row.getRootNode();
      if (root instanceof ShadowRoot && root.activeElement === input) return; // being moved
      const v = get(state, c.key);
      input.value = String(c.toSlider(v));
      show(v);
    };
  },
  number(c, row, ctx) {
    const input = h('input', { type: 'number', min: String(c.min), max: String(c.max), step: String(c.step ?? 1) });
    input.onchange = () => {
      const v = Number(input.value);
      if (Number.isFinite(v)) ctx.commit(c.key, v);
    };
    row.append(nameOf(c), input);
    return (state) => {
      input.value = String(get(state, c.key));
    };
  },
  'feature-toggles'(c, row, ctx) {
    // One checkbox per feature of the data (from the report): unticked ones are left out.
    const box = h('div', { className: 'toggles' });
    row.append(nameOf(c), box);
    return () => {
      const features = ctx.snapshot()?.report?.features ?? [];
      const key = language() + features.map((f) => `${f.name}:${f.kept}`).join('|');
      if (box.dataset.key === key) return;
      box.dataset.key = key;
      box.replaceChildren();
      const kept = features.filter((f) => f.kept).length;
      features.forEach((f, i) => {
        const input = h('input', { type: 'checkbox', checked: f.kept, disabled: f.kept && kept === 1 });
        input.onchange = () => ctx.commit(c.key, features.map((g, j) => ((j === i ? input.checked : g.kept) ? null : j)).filter((j) => j != null));
        box.append(h('label', { title: t(f.kept ? 'page.feature.leave_out' : 'page.feature.use_again', { name: f.name }) }, input, f.name));
      });
    };
  },
  toggles(c, row, ctx) {
    const box = h('div', { className: 'toggles' });
    const inputs = c.options.map(([key, text]) => {
      const input = h('input', { type: 'checkbox' });
      input.onchange = () => ctx.commit(c.key, { ...get(ctx.state(), c.key), [key]: input.checked });
      box.append(h('label', {}, input, text));
      return /** @type {const} */ ([key, input]);
    });
    row.append(nameOf(c), box);
    return (state) => {
      const v = get(state, c.key) ?? {};
      for (const [key, input] of inputs) input.checked = Boolean(v[key]);
    };
  },
  csv(_c, row, ctx) {
    row.className = 'row csv-row';
    row.append(...ctx.csvRow());
    return () => {};
  },
  layers(c, row, ctx) {
    const list = h('div', { className: 'layers' });
    row.append(nameOf(c), list);
    return (state) => renderLayers(list, get(state, c.key) ?? [], c.activations ?? [], (layers) => ctx.commit(c.key, layers));
  },
};

/**
 * The hidden-layer editor of a neural network: width and activation per layer.
 * @param {HTMLElement} list
 * @param {HiddenLayer[]} layers
 * @param {[string, string][]} activations the activations offered, [value, label]
 * @param {(layers: HiddenLayer[]) => void} commit
 */
function renderLayers(list, layers, activations, commit) {
  const key = language() + JSON.stringify(layers);
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren();
  layers.forEach((layer, i) => {
    const minus = h('button', { type: 'button', textContent: '−', title: t('page.layers.fewer'), disabled: layer.neurons <= 1 });
    const plus = h('button', { type: 'button', textContent: '+', title: t('page.layers.more'), disabled: layer.neurons >= LIMITS.neurons });
    const width = h('span', { className: 'width', textContent: String(layer.neurons) });
    const act = h('select', { title: t('page.layers.activation', { n: i + 1 }) });
    act.setAttribute('aria-label', t('page.layers.activation', { n: i + 1 }));
    for (const [value, text] of activations) act.append(h('option', { value, textContent: text }));
    act.value = layer.activation;
    const change = (/** @type {(layers: HiddenLayer[]) => void} */ f) => {
      const next = clone(layers);
      f(next);
      commit(next);
    };
    minus.onclick = () => change((n) => (n[i].neurons -= 1));
    plus.onclick = () => change((n) => (n[i].neurons += 1));
    act.onchange = () => change((n) => (n[i].activation = act.value));
    list.append(h('div', { className: 'layer' }, h('span', { className: 'index', textContent: `${i + 1}` }), minus, width, plus, act));
  });
  const last = layers.at(-1);
  const add = h('button', { type: 'button', textContent: t('page.layers.add'), disabled: layers.length >= LIMITS.hiddenLayers });
  const remove = h('button', { type: 'button', textContent: t('page.layers.remove'), disabled: layers.length === 0 });
  add.onclick = () => commit([...layers, { neurons: last?.neurons ?? 4, activation: last?.activation ?? 'tanh' }]);
  remove.onclick = () => commit(layers.slice(0, -1));
  list.append(h('div', { className: 'layer-tools' }, add, remove));
}

/** The settings panel: its rows, and showing a state in them. */
export class ControlPanel {
  /**
   * @param {HTMLElement} root where the sections go
   * @param {PanelContext} ctx
   */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    /** @type {Row[]} */
    this.rows = [];
    /** @type {Set<string> | null} the sections shown (data, model, view), or null for all */
    this.sections = null;
    this.rebuild();
  }

  /** Shows only these sections (`data`, `model`, `view`; an embed's `controls` attribute), or all for null. */
  showSections(/** @type {Set<string> | null} */ sections) {
    this.sections = sections;
    for (const fieldset of this.root.querySelectorAll('fieldset[data-section]')) {
      fieldset.classList.toggle('off', Boolean(sections && !sections.has(/** @type {string} */ (fieldset.getAttribute('data-section')))));
    }
  }

  /** Makes every row anew from CONTROLS (once the wasm's descriptor has added the model's). */
  rebuild() {
    this.rows = [];
    this.root.replaceChildren();
    for (const section of CONTROLS) {
      const fieldset = h('fieldset', {}, h('legend', { textContent: section.title }));
      fieldset.setAttribute('data-section', section.section.toLowerCase());
      for (const c of section.items) {
        const row = this.makeRow(c, this.ctx);
        fieldset.append(row.row);
        this.rows.push(row);
      }
      this.root.append(fieldset);
    }
    this.showSections(this.sections);
  }

  /** One control's row. @param {Control} c @param {PanelContext} ctx @returns {Row} */
  makeRow(c, ctx) {
    const row = document.createElement(['layers', 'toggles', 'feature-toggles', 'csv'].includes(c.type) ? 'div' : 'label');
    row.className = `row ${c.type === 'feature-toggles' ? 'toggles' : c.type}`;
    if (c.title && c.type !== 'button') row.title = c.title;
    const build = /** @type {(c: Control, row: HTMLElement, ctx: PanelContext) => Row['update']} */ (BUILDERS[c.type]);
    const update = build(c, row, ctx);
    // The "?" that explains it, after its name; a field inside a <label> is named by the label
    // alone (not by the "?" button's name too).
    row.dataset.key = c.key;
    (row.querySelector(':scope > .name') ?? row.querySelector(':scope > .csv') ?? row).append(helpButton(c.key, c.label));
    if (row instanceof HTMLLabelElement) row.querySelector('input, select')?.setAttribute('aria-label', c.label);
    return { c, row, update };
  }

  /** Shows `state`: which rows apply, and their values. */
  sync(/** @type {State} */ state, /** @type {Snapshot | null} */ snapshot) {
    const scene = snapshot?.scene;
    for (const { c, row, update } of this.rows) {
      const shown = c.show ? c.show(state, scene, snapshot?.report) : true;
      row.hidden = !shown;
      if (shown) update(state, scene);
    }
  }
}
