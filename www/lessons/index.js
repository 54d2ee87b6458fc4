// @ts-check
// The lessons, in the order of the primer's chapters (docs: README "Lessons"). Each lesson is a
// data file beside this one: its title and steps in both languages; each step sets a state (the
// link's state format, partial: checkState fills the defaults), says something (with $TeX$), may
// highlight a control (a settings row's state path, or `#id` of a part of the page) and may ask
// a question the learner answers by doing, checked from the report (lessons/check.js); its
// `solution` is one way to answer it, which tests/node/lessons.test.mjs plays to prove it can be.
import linear from './linear.js';
import logistic from './logistic.js';
import tree from './tree.js';
import activations from './activations.js';
import optimizers from './optimizers.js';
import overfitting from './overfitting.js';
import residual from './residual.js';
import features from './features.js';
import imbalance from './imbalance.js';
import tuning from './tuning.js';
import compression from './compression.js';
import service from './service.js';

/** @typedef {{ en: string, zh: string }} Text a text in both languages */
/**
 * @typedef {{
 *   state: Record<string, any>,
 *   text: Text,
 *   highlight?: string,
 *   task?: Text,
 *   check?: import('./check.js').Check,
 *   solution?: { state: Record<string, any>, epochs?: number, actions?: string[] },
 * }} Step
 * @typedef {{ id: string, title: Text, summary: Text, steps: Step[] }} Lesson
 */

/** @type {Lesson[]} */
export const LESSONS = [linear, logistic, tree, activations, optimizers, overfitting, residual, features, imbalance, tuning, compression, service];

/** The lesson with this id, or undefined. */
export const lessonById = (/** @type {string | null | undefined} */ id) => LESSONS.find((l) => l.id === id);

/**
 * `patch` laid over `base`: objects merged key by key, anything else (arrays too) replaced.
 * @param {any} base @param {any} patch
 * @returns {any}
 */
export function overlay(base, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object' || Array.isArray(base)) return structuredClone(patch);
  const out = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) out[k] = k in out ? overlay(out[k], v) : structuredClone(v);
  return out;
}
