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
const values = (list, label = String) => list.map((v) => [v, label(v)]);

export const REGRESSION_SETS = ['linear', 'sine', 'polynomial', 'outliers'];
/** For imported data the task is the data's own (known from the last snapshot). */
export const isClassification = (s, scene) =>
  s.data.kind === 'custom' ? (scene?.n_classes ?? 0) >= 2 : !REGRESSION_SETS.includes(s.data.kind);
/** The models that suit each task, the first being the default. */
export const MODELS = {
  regression: [['linear', 'Linear regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network']],
  classification: [['logistic', 'Logistic regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network']],
};
const kind = (...kinds) => (s) => kinds.includes(s.model.kind);
const gradient = (s) =>
  (s.model.kind === 'linear' && s.model.solver === 'gradient_descent') ||
  (s.model.kind === 'logistic' && s.model.solver === 'gradient') ||
  s.model.kind === 'mlp';

export const OPTIMIZERS = [
  [{ kind: 'sgd' }, 'SGD'],
  [{ kind: 'momentum', beta: 0.9, nesterov: false }, 'Momentum'],
  [{ kind: 'momentum', beta: 0.9, nesterov: true }, 'Nesterov momentum'],
  [{ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 'Adam'],
];

export const SCHEDULES = [
  [{ kind: 'constant' }, 'Constant'],
  [{ kind: 'step', every: 100, gamma: 0.5 }, 'Step decay (×0.5 / 100)'],
  [{ kind: 'exponential', gamma: 0.995 }, 'Exponential (×0.995)'],
  [{ kind: 'cosine', period: 1000, min_fraction: 0.05 }, 'Cosine (1000 steps)'],
  [{ kind: 'warmup', steps: 200 }, 'Linear warm-up (200)'],
];

const FEATURES = [
  ['x1', 'x₁'], ['x2', 'x₂'], ['x1_squared', 'x₁²'], ['x2_squared', 'x₂²'],
  ['x1_x2', 'x₁·x₂'], ['sin_x1', 'sin x₁'], ['sin_x2', 'sin x₂'],
];

export const CONTROLS = [
  {
    section: 'Data',
    items: [
      {
        key: 'data.kind',
        label: 'Dataset',
        type: 'select',
        groups: [
          ['Regression', [['linear', 'Line'], ['sine', 'Sine wave'], ['polynomial', 'Cubic'], ['outliers', 'Line with outliers']]],
          ['Classification', [['circle', 'Circle'], ['xor', 'XOR'], ['blobs', 'Gaussian blobs'], ['spiral', 'Spiral'],
            ['moons', 'Two moons'], ['separable', 'Linearly separable'], ['imbalanced', 'Imbalanced']]],
          ['Your data', [['custom', 'Imported CSV']]],
        ],
      },
      { key: 'csv', label: 'Your data', type: 'csv' },
      {
        key: 'data.impute',
        label: 'Missing',
        type: 'select',
        options: [[{ kind: 'drop_rows' }, 'drop the rows'], [{ kind: 'mean' }, 'fill: mean'], [{ kind: 'median' }, 'fill: median'],
          [{ kind: 'most_frequent' }, 'fill: most frequent'], [{ kind: 'knn', neighbours: 5 }, 'fill: 5 nearest']],
        show: (s) => s.data.kind === 'custom' || s.data.missing > 0,
      },
      {
        key: 'data.resample',
        label: 'Rebalance',
        type: 'select',
        options: [[{ kind: 'none' }, 'no'], [{ kind: 'under' }, 'under-sample'], [{ kind: 'over' }, 'over-sample'], [{ kind: 'smote', neighbours: 5 }, 'SMOTE (5 neighbours)']],
        show: (s, scene) => isClassification(s, scene),
      },
      { key: 'data.classes', label: 'Classes', type: 'range', ...linear(2, 5, 1), show: (s) => ['blobs', 'spiral'].includes(s.data.kind) },
      { key: 'data.ratio', label: 'Minority', type: 'range', ...linear(0.05, 1, 0.05), format: pct, show: (s) => s.data.kind === 'imbalanced' },
      { key: 'data.n', label: 'Points', type: 'range', ...logarithmic(10, 5000), show: (s) => s.data.kind !== 'custom' },
      { key: 'data.noise', label: 'Noise', type: 'range', ...linear(0, 1, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.missing', label: 'Missing cells', type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.outliers', label: 'Outliers', type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      {
        key: 'data.outlier_rule',
        label: 'Detect',
        type: 'select',
        options: [[null, 'no outlier rule'], [{ kind: 'z_score', threshold: 3 }, 'z-score > 3'], [{ kind: 'iqr', factor: 1.5 }, 'IQR × 1.5 (Tukey)']],
      },
      {
        key: 'data.outlier_action',
        label: 'Then',
        type: 'select',
        options: [['keep', 'flag them (red ring)'], ['clip', 'clip to the bounds'], ['remove', 'leave out (training)']],
        show: (s) => s.data.outlier_rule != null,
      },
      {
        key: 'data.scaling',
        label: 'Rescale',
        type: 'select',
        options: [['none', 'no'], ['standardize', 'standardise'], ['min_max', 'min-max [0, 1]'], ['log', 'log'], ['log_shifted', 'log(1 + x − min)']],
      },
      { key: 'data.drop_features', label: 'Use', type: 'feature-toggles', show: (s, scene, report) => (report?.features?.length ?? 0) >= 2 },
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
      { key: 'model.kind', label: 'Model', type: 'select', options: (s, scene) => MODELS[isClassification(s, scene) ? 'classification' : 'regression'] },
      {
        key: 'model.class_weight',
        label: 'Class weights',
        type: 'select',
        options: [[null, 'equal'], ['balanced', 'balanced']],
        title: 'Balanced: each class weighs n / (k · its count) in the loss, so every class counts as much in total',
        show: (s, scene) => ['logistic', 'mlp', 'tree'].includes(s.model.kind) && isClassification(s, scene),
      },
      // Linear regression
      { key: 'model.solver', label: 'Solver', type: 'select', options: [['closed_form', 'Closed form'], ['gradient_descent', 'Gradient descent']], show: kind('linear') },
      { key: 'model.degree', label: 'Degree', type: 'range', ...linear(1, 9, 1), show: kind('linear') },
      { key: 'model.ridge', label: 'Ridge λ', type: 'select', options: values([0, 0.0001, 0.001, 0.01, 0.1, 1, 10], (v) => (v === 0 ? 'none' : String(v))), show: kind('linear') },
      // Logistic regression
      { key: 'model.solver', label: 'Solver', type: 'select', options: [['newton', 'Newton (instant)'], ['gradient', 'Gradient descent']], show: kind('logistic') },
      {
        key: 'model.penalty',
        label: 'Penalty',
        type: 'select',
        options: [[{ kind: 'none' }, 'none'], [{ kind: 'l1' }, 'L1 (lasso)'], [{ kind: 'l2' }, 'L2 (ridge)'], [{ kind: 'elastic_net', l1_ratio: 0.5 }, 'Elastic net']],
        show: kind('logistic'),
      },
      { key: 'model.strength', label: 'Strength λ', type: 'select', options: values([0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]), show: (s) => s.model.kind === 'logistic' && s.model.penalty?.kind !== 'none' },
      { key: 'model.features', label: 'Features', type: 'toggles', options: FEATURES, show: kind('logistic') },
      // Decision tree
      { key: 'model.criterion', label: 'Impurity', type: 'select', options: [['gini', 'Gini'], ['entropy', 'Entropy']], show: (s, scene) => s.model.kind === 'tree' && isClassification(s, scene) },
      { key: 'model.max_depth', label: 'Max depth', type: 'select', options: [[null, 'none'], ...values([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20])], show: kind('tree') },
      { key: 'model.max_leaf_nodes', label: 'Max leaves', type: 'select', options: [[null, 'none'], ...values([2, 4, 8, 16, 32, 64])], show: kind('tree') },
      { key: 'model.min_samples_leaf', label: 'Min leaf', type: 'select', options: values([1, 2, 5, 10, 20, 50]), show: kind('tree') },
      { key: 'model.min_samples_split', label: 'Min split', type: 'select', options: values([2, 5, 10, 20, 50]), show: kind('tree') },
      { key: 'model.ccp_alpha', label: 'Prune α', type: 'select', options: values([0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05], (v) => (v === 0 ? 'none' : String(v))), show: kind('tree') },

      // Neural network
      {
        key: 'preset-deep',
        label: 'Preset: deep narrow sigmoid net (8 × 4)',
        type: 'button',
        title: 'Eight sigmoid layers of four neurons, plain SGD: it stalls; tick “Residual connections” and it trains',
        apply: (s) => ((s.model = {
          kind: 'mlp',
          hidden_layers: Array.from({ length: 8 }, () => ({ neurons: 4, activation: 'sigmoid' })),
          residual: false,
          train: { learning_rate: 0.1, batch_size: 16, optimizer: { kind: 'sgd' } },
        }), (s.steps_per_frame = 5), s),
        show: kind('mlp'),
      },
      { key: 'model.hidden_layers', label: 'Layers', type: 'layers', show: kind('mlp') },
      { key: 'model.residual', label: 'Residual connections', type: 'checkbox', show: kind('mlp') },
      { key: 'model.loss', label: 'Loss', type: 'select', options: [[null, 'automatic'], ['cross_entropy', 'Cross-entropy'], ['mse', 'Squared error']], show: (s, scene) => s.model.kind === 'mlp' && isClassification(s, scene) },
      { key: 'model.l2', label: 'L2', type: 'select', options: values([0, 0.0001, 0.001, 0.01, 0.1], (v) => (v === 0 ? 'none' : String(v))), show: kind('mlp') },
      { key: 'model.l1', label: 'L1', type: 'select', options: values([0, 0.0001, 0.001, 0.01], (v) => (v === 0 ? 'none' : String(v))), show: kind('mlp') },
      { key: 'model.grow_on_plateau', label: 'Grow on plateau', type: 'select', options: [[null, 'off'], [{ patience: 20, max_neurons: 32 }, 'on']], show: kind('mlp') },
      // Gradient training, shared by every gradient model
      { key: 'model.train.optimizer', label: 'Optimiser', type: 'select', options: OPTIMIZERS, show: gradient },
      { key: 'model.train.learning_rate', label: 'Learning rate', type: 'select', options: values([0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 0.5, 1, 3, 10]), show: gradient },
      { key: 'model.train.batch_size', label: 'Batch size', type: 'select', options: [[0, 'all points'], ...values([1, 8, 16, 32, 64, 128])], show: gradient },
      { key: 'model.train.schedule', label: 'LR schedule', type: 'select', options: SCHEDULES, show: gradient },
    ],
  },
  {
    section: 'View',
    items: [
      { key: 'view.residuals', label: 'Residuals', type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.band', label: '±RMSE band', type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.show_test', label: 'Test points', type: 'checkbox' },
      { key: 'view.log_loss', label: 'Log-scale loss', type: 'checkbox' },
    ],
  },
];

export const ACTIVATIONS = [['tanh', 'tanh'], ['relu', 'ReLU'], ['leaky_relu', 'leaky ReLU'], ['sigmoid', 'sigmoid'], ['linear', 'linear']];

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
.app { display: grid; grid-template-columns: 268px minmax(0, 1fr) 270px; gap: 14px; align-items: start; }
@container (max-width: 900px) { .app { grid-template-columns: 1fr; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
fieldset { border: 0; margin: 0 0 8px; padding: 0; }
legend { font-weight: 650; font-size: 12px; letter-spacing: .06em; text-transform: uppercase; color: #5b6780; margin-bottom: 4px; }
.row { display: grid; grid-template-columns: 78px minmax(0, 1fr) auto; gap: 6px; align-items: center; margin: 5px 0; }
.row.checkbox { display: flex; gap: 6px; }
.row.button { display: block; }
.row.button button { width: 100%; }
.row[hidden] { display: none !important; }
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
.under { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin: 6px 2px; }
.hint { color: #6b768c; font-size: 12px; margin: 0; }
.classes, .grow { display: flex; gap: 6px; align-items: center; color: #3b4660; font-size: 13px; }
.classes[hidden], .grow[hidden], .confusion[hidden] { display: none; }
.classes button { padding: 3px 8px; }
.classes button[aria-pressed=true] { border-color: var(--accent); box-shadow: 0 0 0 2px #2f6fdb33; font-weight: 600; }
.grow select { width: auto; }
.chip { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
.c0 { background: #1f77b4; } .c1 { background: #ff7f0e; } .c2 { background: #2ca02c; } .c3 { background: #d62728; } .c4 { background: #9467bd; }
.csv { display: flex; flex-wrap: wrap; gap: 6px; }
.csv button { flex: 1; }
.csv-panel { border: 1px dashed #9fb3d9; border-radius: 8px; padding: 6px 8px; margin: 6px 0; background: #fff; }
.csv-panel p { margin: 0 0 4px; font-size: 12px; color: #3b4660; }
.csv-panel label { display: grid; grid-template-columns: 70px 1fr; gap: 4px; margin: 3px 0; align-items: center; }
.csv-panel details { margin: 3px 0; font-size: 12px; }
.csv-panel label.check { display: flex; gap: 6px; margin: 2px 0 2px 8px; }
.drop { outline: 3px dashed var(--accent); outline-offset: -6px; }
.cv { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 4px; }
.cv select { width: auto; }
.cv label { display: flex; gap: 4px; align-items: center; }
.cv label[hidden] { display: none; }
#cv-progress { width: 100%; }
#cv-progress[hidden], #cv-chart[hidden] { display: none; }
.view-chart { display: block; width: 100%; aspect-ratio: 5 / 3; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
.results .note { margin: 2px 0 8px; font-size: 12px; color: #3b4660; }
.toggles { display: flex; flex-wrap: wrap; gap: 2px 10px; grid-column: 2 / 4; }
.toggles label { display: flex; gap: 3px; align-items: center; }
.row.toggles { grid-template-columns: 78px 1fr; }
.row.layers { display: block; }
.row.layers .name { display: block; margin-bottom: 3px; }
.layers { grid-column: 2 / 4; display: grid; gap: 4px; }
.layer { display: grid; grid-template-columns: 14px 26px 26px 26px 1fr; gap: 4px; align-items: center; }
.layer button, .layer-tools button { padding: 1px 0; }
.layer .index { color: #6b768c; font-size: 12px; }
.layer .width { text-align: center; font-variant-numeric: tabular-nums; }
.layer-tools { display: flex; gap: 6px; }
.layer-tools button { flex: 1; }
.confusion table { border-collapse: collapse; margin-bottom: 12px; font-variant-numeric: tabular-nums; }
.confusion th, .confusion td { padding: 2px 8px; text-align: right; border: 1px solid var(--line); }
.confusion tbody th { max-width: 96px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: left; }
.confusion td.hit { background: #e8f3ea; } .confusion td.miss { background: #fdecec; }
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
.diagram { margin-top: 10px; }
.diagram[hidden] { display: none; }
#diagram-canvas { display: block; width: 100%; aspect-ratio: 2.4 / 1; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
.thumbs { display: flex; flex-direction: column; gap: 4px; margin-top: 8px; }
.thumb-layer { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
.thumb-layer span { width: 52px; font-size: 12px; color: #6b768c; }
.thumb-layer canvas { width: 40px; height: 40px; border: 1px solid var(--line); border-radius: 4px; image-rendering: auto; transition: transform .1s; }
.thumb-layer canvas.on, .thumb-layer canvas:hover { transform: scale(2.6); position: relative; z-index: 2; box-shadow: 0 4px 14px #0003; }
.views canvas { display: block; width: 100%; aspect-ratio: 5 / 3; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
.views .note { margin: 2px 0 10px; font-size: 12px; color: #6b768c; min-height: 1em; }
.views .note:empty { display: none; }
.loss { display: block; width: 100%; aspect-ratio: 5 / 3; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
`;
