// The control panel as data: each control names the state path it edits, how to show it, and
// when it is visible. Adding a model's settings is adding entries here.

const linear = (min, max, step) => ({
  fromSlider: (v) => Math.round((min + ((max - min) * v) / 1000) / step) * step,
  toSlider: (x) => Math.round(((x - min) / (max - min)) * 1000),
});
const logarithmic = (min, max) => ({
  fromSlider: (v) => Math.round(min * (max / min) ** (v / 1000)),
  toSlider: (x) => Math.round((1000 * Math.log(Math.max(x, min) / min)) / Math.log(max / min)),
});
const pct = (v) => `${Math.round(v * 100)} %`;
const gd = (s) => s.model.kind === 'linear' && s.model.solver === 'gradient_descent';

export const OPTIMIZERS = [
  [{ kind: 'sgd' }, 'SGD'],
  [{ kind: 'momentum', beta: 0.9, nesterov: false }, 'Momentum'],
  [{ kind: 'momentum', beta: 0.9, nesterov: true }, 'Nesterov momentum'],
  [{ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 'Adam'],
];

export const CONTROLS = [
  {
    section: 'Data',
    items: [
      {
        key: 'data.kind',
        label: 'Dataset',
        type: 'select',
        options: [
          ['linear', 'Line'],
          ['sine', 'Sine wave'],
          ['polynomial', 'Cubic'],
          ['outliers', 'Line with outliers'],
        ],
      },
      { key: 'data.n', label: 'Points', type: 'range', ...logarithmic(10, 5000) },
      { key: 'data.noise', label: 'Noise', type: 'range', ...linear(0, 1, 0.01), format: pct },
      { key: 'test_ratio', label: 'Test share', type: 'range', ...linear(0, 0.9, 0.05), format: pct },
      { key: 'data.seed', label: 'Seed', type: 'number', min: 0, max: 4294967295 },
      {
        key: 'new-data',
        label: '↻ New random sample',
        type: 'button',
        apply: (s) => ((s.data.seed = Math.floor(Math.random() * 1e9)), (s.edits = []), s),
      },
      { key: 'clear-edits', label: 'Clear my edits', type: 'button', apply: (s) => ((s.edits = []), s), show: (s) => s.edits.length > 0 },
    ],
  },
  {
    section: 'Model',
    items: [
      { key: 'model.kind', label: 'Model', type: 'select', options: [['linear', 'Linear regression']] },
      {
        key: 'model.solver',
        label: 'Solver',
        type: 'select',
        options: [
          ['closed_form', 'Closed form (least squares)'],
          ['gradient_descent', 'Gradient descent'],
        ],
        show: (s) => s.model.kind === 'linear',
      },
      { key: 'model.degree', label: 'Degree', type: 'range', ...linear(1, 9, 1), show: (s) => s.model.kind === 'linear' },
      {
        key: 'model.ridge',
        label: 'Ridge λ',
        type: 'select',
        options: [0, 0.0001, 0.001, 0.01, 0.1, 1, 10].map((v) => [v, v === 0 ? 'none' : String(v)]),
        show: (s) => s.model.kind === 'linear',
      },
      {
        key: 'model.train.learning_rate',
        label: 'Learning rate',
        type: 'select',
        options: [0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1, 3, 10].map((v) => [v, String(v)]),
        show: gd,
      },
      {
        key: 'model.train.batch_size',
        label: 'Batch size',
        type: 'select',
        options: [[0, 'all points'], [1, '1'], [8, '8'], [32, '32'], [128, '128']],
        show: gd,
      },
      { key: 'model.train.optimizer', label: 'Optimiser', type: 'select', options: OPTIMIZERS, show: gd },
    ],
  },
  {
    section: 'View',
    items: [
      { key: 'view.residuals', label: 'Residuals', type: 'checkbox' },
      { key: 'view.band', label: '±RMSE band', type: 'checkbox' },
      { key: 'view.show_test', label: 'Test points', type: 'checkbox' },
      { key: 'view.log_loss', label: 'Log-scale loss', type: 'checkbox' },
    ],
  },
];

/** Attribute name → state path and parser. */
const ATTRIBUTES = {
  dataset: ['data.kind', String],
  points: ['data.n', Number],
  noise: ['data.noise', Number],
  seed: ['data.seed', Number],
  model: ['model.kind', String],
  solver: ['model.solver', String],
  degree: ['model.degree', Number],
  ridge: ['model.ridge', Number],
  'learning-rate': ['model.train.learning_rate', Number],
  'steps-per-frame': ['steps_per_frame', Number],
};

/** The [path, value] pairs the given attributes set, `model` first (it resets the model's fields). */
export function attributePatch(attrs) {
  const out = [];
  for (const [name, [path, parse]] of Object.entries(ATTRIBUTES)) {
    if (attrs[name] != null) out.push([path, parse(attrs[name])]);
  }
  return out;
}

export const STYLE = `
:host { display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433;
  --accent: #2f6fdb; --panel: #f6f8fb; --line: #dde3ec; container-type: inline-size; }
* { box-sizing: border-box; }
.app { display: grid; grid-template-columns: 250px minmax(0, 1fr) 260px; gap: 14px; align-items: start; }
@container (max-width: 900px) { .app { grid-template-columns: 1fr; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
fieldset { border: 0; margin: 0 0 8px; padding: 0; }
legend { font-weight: 650; font-size: 12px; letter-spacing: .06em; text-transform: uppercase; color: #5b6780; margin-bottom: 4px; }
.row { display: grid; grid-template-columns: 78px minmax(0, 1fr) auto; gap: 6px; align-items: center; margin: 5px 0; }
.row.checkbox { display: flex; gap: 6px; }
.row.button { display: block; }
.row.button button { width: 100%; }
.row[hidden] { display: none; }
.name { color: #3b4660; }
output { font-variant-numeric: tabular-nums; min-width: 3.2em; text-align: right; color: #3b4660; }
select, input[type=number] { width: 100%; min-width: 0; padding: 3px 4px; border: 1px solid #c7cfdc; border-radius: 6px; background: #fff; font: inherit; }
input[type=range] { width: 100%; accent-color: var(--accent); }
button { font: inherit; padding: 5px 10px; border: 1px solid #c7cfdc; border-radius: 7px; background: #fff; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; min-width: 92px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.epoch { font-variant-numeric: tabular-nums; color: #3b4660; min-width: 90px; }
.spf { color: #3b4660; display: flex; gap: 6px; align-items: center; }
.spf select { width: auto; }
.spacer { flex: 1; }
.canvas-wrap { border: 1px solid var(--line); border-radius: 10px; overflow: hidden; background: #fff; }
#plot { display: block; width: 100%; aspect-ratio: 4 / 3; cursor: crosshair; touch-action: none; }
.hint { color: #6b768c; font-size: 12px; margin: 6px 2px; }
.message { margin: 6px 0; padding: 8px 10px; border-radius: 8px; border: 1px solid; }
.message.error { background: #fdecec; border-color: #f2b8b8; color: #8a1c1c; }
.message.warning { background: #fff6e0; border-color: #f0d48a; color: #6d5200; }
.message.info { background: #eaf2ff; border-color: #b9d0f7; color: #1d3f7a; }
h3 { margin: 2px 0 6px; font-size: 13px; letter-spacing: .04em; text-transform: uppercase; color: #5b6780; }
h3 small { text-transform: none; letter-spacing: 0; font-weight: 400; }
.formula { font: 15px/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; padding: 6px 8px; margin-bottom: 10px; overflow-wrap: anywhere; }
.metrics { width: 100%; border-collapse: collapse; margin-bottom: 12px; font-variant-numeric: tabular-nums; }
.metrics th, .metrics td { text-align: right; padding: 2px 4px; border-bottom: 1px solid var(--line); }
.metrics th:first-child { text-align: left; font-weight: 500; color: #3b4660; }
.loss { display: block; width: 100%; aspect-ratio: 5 / 3; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
`;
