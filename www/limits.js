// @ts-check
// Limits the Rust side enforces; the page's controls stop at them. A module of its own, importing
// nothing: the training worker needs them, and importing models.js would make it load the
// controls, the i18n module and the English catalog (four round trips more before it can start).

/** Limits the Rust side enforces; the page's controls stop at them. */
export const LIMITS = {
  /** Hidden layers of a neural network. */
  hiddenLayers: 8,
  /** Neurons in one hidden layer. */
  neurons: 32,
  /** Curve samples the scene may ask for. */
  curveSamples: 8192,
  /** Side of the decision surface in pixels. */
  surfaceSide: 4096,
  /** Epochs one step request may run. */
  epochsPerStep: 1000,
};
