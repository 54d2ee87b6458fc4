// @ts-check
// What the element says about itself: the message over the plot (an error, a warning or a note,
// optionally with a button that dismisses it) and the loading state before the worker is ready.
import { h } from './util.js';
import { t } from './i18n.js';

/** @typedef {import('./template.js').Dom} Dom */
/** @typedef {'error' | 'warning' | 'info'} Level */

/** Shows a message over the plot; a dismissable one has a button that hides it; `fromWasm` marks text written by the wasm. */
export function showMessage(/** @type {Dom} */ dom, /** @type {string} */ text, /** @type {Level} */ level, dismissable = false, fromWasm = false) {
  const box = dom.message;
  box.textContent = text;
  // A message that carries text the wasm wrote says so (errors and advice are worded by the page now).
  box.dataset.from = fromWasm ? 'wasm' : 'page';
  box.className = `message ${level}`;
  if (dismissable) {
    const close = h('button', { type: 'button', className: 'dismiss', textContent: t('page.dismiss'), title: t('page.dismiss.title') });
    close.onclick = () => {
      box.hidden = true;
    };
    box.append(' ', close);
  }
  box.hidden = false;
}

/**
 * Until the worker has answered, every control is disabled and dimmed and a note says what is
 * loading; null ends that (at the first snapshot).
 * @param {Dom} dom
 * @param {string | null} note
 */
export function setLoading(dom, note) {
  const busy = note != null;
  if (busy) dom.loading.textContent = note;
  dom.loading.hidden = !busy;
  dom.app.setAttribute('aria-busy', String(busy));
  for (const fieldset of dom.controls.querySelectorAll('fieldset')) fieldset.disabled = busy;
  for (const control of [dom.reset, dom.play, dom.step, dom.spf, dom.copy, dom.langEn, dom.langZh, dom.cvRun, dom.cvK, dom.cvStrat, dom.cvMetric,
    dom.saveModel, dom.openModel, dom.exportOnnx, dom.copyPython, dom.savePng, dom.saveSvg, dom.copyEmbed,
    dom.tuneStrategy, dom.tuneTrials, dom.tuneK, dom.tuneMetric, dom.tuneStart, dom.tuneRepeats, dom.tunePrune, dom.tuneNested,
    dom.compressOp, dom.compressApply, dom.compressCurve, dom.compressCurveRun, dom.tmRange, dom.tmPin, dom.tmUnpin]) control.disabled = busy;
  for (const control of dom.compressSettings.querySelectorAll('input, select')) /** @type {HTMLInputElement} */ (control).disabled = busy;
  // (the "?" beside them too: what they explain cannot be used yet)
  for (const help of dom.app.querySelectorAll('button.help')) /** @type {HTMLButtonElement} */ (help).disabled = busy;
}
