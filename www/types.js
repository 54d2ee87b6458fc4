// @ts-check
// The shapes the page reads from the worker and the wasm, as JSDoc types for `tsc --checkJs`.
// wasm-bindgen types serde values as `any`; these name the fields the page uses (Rust is the
// source: src/state.rs, src/session.rs, src/web/mod.rs). Types only: this module has no code.

/**
 * The page's whole state (src/state.rs): what a link carries.
 * @typedef {{
 *   data: DataSpec,
 *   model: ModelSpec,
 *   edits: Edit[],
 *   test_ratio: number,
 *   steps_per_frame: number,
 *   view: ViewOptions,
 *   [key: string]: any,
 * }} State
 */

/** @typedef {{ kind: string, n?: number, seed?: number, drop_features?: number[], missing?: number, [key: string]: any }} DataSpec */
/** @typedef {{ kind: string, [key: string]: any }} ModelSpec */
/** @typedef {{ residuals?: boolean, band?: boolean, show_test?: boolean, log_loss?: boolean }} ViewOptions */
/** @typedef {{ neurons: number, activation: string }} HiddenLayer */

/**
 * A learner's edit of the data (src/session.rs `Edit`).
 * @typedef {{ op: 'add', x: number, y: number, label?: number }
 *   | { op: 'remove', i: number }
 *   | { op: 'move', i: number, x: number, y: number }} Edit
 */

/** @typedef {{ op: 'neuron', layer: number } | { op: 'layer', after: number }} Growth */

/**
 * What `Session.scene` returns: the points as typed arrays and what to draw over them;
 * `points_key` the painter sets (the same number: the same points, see views.js).
 * @typedef {{
 *   xs: Float64Array, ys: Float64Array, roles: Uint8Array, classes: Uint8Array,
 *   n_classes: number,
 *   view: { x: [number, number], y: [number, number] },
 *   x_label: string, y_label: string,
 *   slice_note?: { code: string, values: Record<string, unknown> } | null,
 *   rings?: [number, number][],
 *   tube?: number | null,
 *   centroids?: [number, number][],
 *   trails?: [number, number][][],
 *   curve: unknown[],
 *   highlight?: number | null,
 *   points_key?: number,
 *   [key: string]: any,
 * }} Scene
 */

/** @typedef {{ plot: [number, number, number, number], [key: string]: any }} Layout */

/**
 * Train or test scores (src/session.rs `Scores`): regression, classification or clustering
 * metrics.
 * @typedef {{
 *   task: 'regression' | 'classification' | 'clustering', n: number,
 *   confusion?: number[][], per_class_recall?: (number | null)[],
 *   [metric: string]: any,
 * }} Scores
 */

/**
 * @typedef {{
 *   epoch: number, trained: boolean, can_train: boolean, fits_instantly: boolean,
 *   summary: Summary,
 *   train: Scores, test: Scores, loss_name: string, n_points: number,
 *   message?: { kind: string, text: string } | null,
 *   features?: { name: string, kept: boolean }[],
 *   class_names?: string[],
 *   time_machine: TimeMachineInfo,
 * }} Report
 */

/**
 * The time machine's part of the report (src/session/history.rs `TimeMachine`): the scrubber's
 * stops (the snapshots' epochs, then now), the epoch shown while scrubbing, the pinned one.
 * @typedef {{ epochs: number[], now: number, scrubbed: number | null, pinned: number | null, interval: number, bytes: number }} TimeMachineInfo
 */

/**
 * The compare view of a pinned epoch and now (src/session/history.rs `PinReport`) and its three
 * maps (pinned, now, difference: `pixels` holds the three RGBA rasters one after the other).
 * @typedef {{ pinned: number, now: number, then_train: CompressScores, then_test: CompressScores, now_train: CompressScores, now_test: CompressScores }} PinReport
 * @typedef {{ id: number, type: 'pinned', report?: PinReport | null, maps?: { width: number, height: number, pixels: Uint8Array } | null, error?: WasmError }} PinnedReply
 */

/** One term of a linear score (src/model/summary.rs `Term`). @typedef {{ coefficient: number, feature: string }} Term */
/** A linear score `Σ coefficient · feature + intercept`. @typedef {{ terms: Term[], intercept: number }} Score */
/** A network layer: `units` neurons computing `activation(W·h + b)` from `inputs` values. @typedef {{ inputs: number, units: number, activation: string }} Layer */
/**
 * A model's equation as data (src/model/summary.rs `Formula`).
 * @typedef {{ kind: 'none' }
 *   | { kind: 'linear', score: Score }
 *   | { kind: 'logistic', scores: Score[] }
 *   | { kind: 'tree', depth: number, leaves: number, nodes: number, criterion: string, impurity: number, root_counts: number[], root_impurity: number }
 *   | { kind: 'network', layers: Layer[], skips: boolean }} Formula
 */
/**
 * What a model says about itself (src/model/summary.rs `Summary`): `summary.<code>` in the
 * catalog with `values`, its formula as data, its inputs' names and its named learned values;
 * worded and typeset by www/summary.js.
 * @typedef {{ code: string, values: Record<string, unknown>, formula: Formula, inputs: string[], parameters: [string, number][], update?: import('./summary.js').UpdateTrace }} Summary
 */

/** @typedef {{ labels: string[], values: number[], title?: string }} Bars */
/**
 * A tree node (src/model/view.rs `NodeInfo`).
 * @typedef {{ id: number, depth: number, parent: number | null, left: number | null, right: number | null,
 *   feature: number | null, threshold: number | null, impurity: number, n_samples: number,
 *   weighted_n_samples: number, value: number[], is_leaf: boolean }} TreeNode
 */
/** @typedef {{ nodes: TreeNode[], [key: string]: any }} TreeDiagram */
/** @typedef {{ diagram: TreeDiagram, leaves: number[], regions: [number, number][][] }} TreeView */
/** @typedef {{ layer_sizes: number[], [key: string]: any }} NetworkView */
/** @typedef {{ alphas: number[], train: number[], test: number[], chosen: number }} PruningView */

/**
 * The pictures beside the plot (`Session.views`): the shared ones (`null` when they do not apply)
 * and the family's own under their kinds' keys (the descriptor's `views`; absent when not made).
 * tests/node/types.test.mjs checks real snapshots against these types.
 * @typedef {{
 *   roc?: { subset: string, [key: string]: any } | null,
 *   precision_recall?: { subset: string, positive_share: number, [key: string]: any } | null,
 *   importances?: Bars | null, permutation?: Bars | null,
 *   schedule?: { rates: number[], current: number } | null,
 *   sigmoid?: { z: Float64Array, highlight?: number | null, [key: string]: any }, pruning?: PruningView,
 *   tree?: TreeView, network?: NetworkView, rings?: RingsView,
 *   centroids?: CentroidsView, elbow?: KCurveView, silhouette?: KCurveView,
 * }} Views
 */

/** @typedef {{ width: number, height: number, pixels: Uint8Array }} Surface */
/** @typedef {{ size: number, pixels: Uint8Array }} Thumbnails */

/**
 * The worker's answer to every request (after an error too, when a session exists).
 * @typedef {{
 *   id: number, type: 'snapshot', scene: Scene, surface: Surface | null, thumbnails: Thumbnails | null,
 *   report: Report, views: Views, history: unknown, state: State,
 * }} Snapshot
 */

/** @typedef {{ n_rows: number, class_names?: string[], rows_with_missing?: number, dropped_missing_target?: number[] }} ImportReport */

/**
 * Every message the worker sends (www/worker.js).
 * @typedef {{ type: 'ready' } | { type: 'watching' } | { type: 'memory', bytes: number }
 *   | Snapshot
 *   | { id: number, type: 'error', kind: string, message: string, code?: string, values?: Record<string, unknown> }
 *   | { id: number, type: 'imported', report: ImportReport }
 *   | { id: number, type: 'csv', text: string }
 *   | { id: number, type: 'model-file', file: { model: { kind: string } } }
 *   | { id: number, type: 'onnx', bytes: Uint8Array, kind: string }
 *   | { id: number, type: 'python', text: string, kind: string }
 *   | { id: number, type: 'predictions', values?: Float64Array, error?: WasmError }
 *   | CvReply | TuneDataReply | CompareReply | CurveReply | PinnedReply} WorkerReply
 */

/**
 * The compare view (src/session/compress.rs `CompareReport`), its three maps (original,
 * compressed, difference: `pixels` holds the three RGBA rasters one after the other) and the
 * prediction time of each model over a 256 × 256 plane, in ms.
 * @typedef {{ operation: { kind: string, [key: string]: any }, epochs: number }} CompressSetup
 * @typedef {{ accuracy: number | null, log_loss: number | null, r2: number | null, mse: number | null }} CompressScores
 * @typedef {{ size: { parameters: number, nonzero: number, bytes: number } | null, tree: { trees: number, nodes: number, leaves: number, bytes: number } | null, train: CompressScores, test: CompressScores }} CompareSide
 * @typedef {{ setup: CompressSetup, original: CompareSide, compressed: CompareSide, changed_share: number | null,
 *   mean_abs_difference: number | null, transfer: [number, number][], network: NetworkView | null }} CompareReport
 * A regression's compare view has `curves` (each model's curve and their difference, `[x, y]` pairs) instead of `maps`.
 * @typedef {{ original: [number, number][], compressed: [number, number][], difference: [number, number][] }} CompareCurves
 * @typedef {{ id: number, type: 'compare', report?: CompareReport | null, maps?: { width: number, height: number, pixels: Uint8Array } | null,
 *   curves?: CompareCurves | null, times?: { original: number, compressed: number } | null, error?: WasmError }} CompareReply
 * @typedef {{ kind: string, metric: string, subset: string, series: { key: string, points: [number, number][] }[] }} Curve
 * @typedef {{ id: number, type: 'compress-curve', kind: string, curve?: Curve, error?: WasmError }} CurveReply
 */

/** @typedef {{ id: number, type: 'cv', scores: number[], total: number, done?: boolean, cancelled?: boolean, error?: WasmError, fraction?: number }} CvReply */
/** An error from the wasm (or the worker): English `message`, and `code` + `values` for the page's catalog (i18n.js wordError). @typedef {{ message: string, code?: string, values?: Record<string, unknown> }} WasmError */

/**
 * What the Tune panel's workers score trials on (`Session.tuneData`): the raw rows, the preparation
 * pipeline and the seed of the folds.
 * @typedef {{ x: Float64Array, y: Float64Array, n_features: number, n_classes: number | null, pipeline: unknown, seed: number }} TuneData
 */
/** @typedef {{ id: number, type: 'tune-data', data?: TuneData, error?: string }} TuneDataReply */

/** @typedef {{ k: number, stratified: boolean, metric: string }} CvSpec */

/**
 * The requests the element sends (www/worker.js); `id`, `samples` and `surface` are added by the
 * worker client.
 * @typedef {{ type: 'init' | 'configure', state: State }
 *   | { type: 'step', epochs: number }
 *   | { type: 'fit' | 'reset' | 'snapshot' | 'export' | 'save-model' | 'onnx' | 'python' | 'compress-onnx' | 'compress-python' }
 *   | { type: 'open-model', file: unknown }
 *   | { type: 'edit', edit: Edit }
 *   | { type: 'grow', growth: Growth }
 *   | { type: 'compress', operation: { kind: string, [key: string]: any }, maps: [number, number] | null }
 *   | { type: 'compress-clear' }
 *   | { type: 'scrub', epoch: number } | { type: 'unscrub' } | { type: 'unpin' }
 *   | { type: 'pin', epoch: number, maps: [number, number] | null }
 *   | { type: 'import', bytes: Uint8Array, xColumns: number[], target: number, hint: string }} Request
 */

/** @typedef {{ rows: number, delimiter: string, header: boolean, decimal_comma: boolean, columns: { name: string, numeric: boolean, missing: number }[] }} CsvSummary */

/** @typedef {{ points: [number, number][], weights: number[] }} RingsView */
/** @typedef {{ points: [number, number][], trails: [number, number][][] }} CentroidsView */
/** @typedef {{ ks: number[], values: number[], chosen: number }} KCurveView */

/** What the diagram under the plot has under the pointer: a tree node or a network neuron.
 * @typedef {{ kind: 'tree', node: number } | { kind: 'network', layer: number, neuron: number } | null} DiagramHover */

/** The main thread's wasm module (www/pkg/ml_playground.js). @typedef {typeof import('./pkg/ml_playground.js')} Wasm */

export {};
