// @ts-check
// Work in the training worker runs in slices with a time budget: a request for many epochs runs
// them in parts of a few mini-batches (`Session.advance`, so even one epoch of minutes is cut)
// and answers once the budget is spent (with the epochs done so far), so Pause, Cancel and new
// edits, which wait in the worker's queue, take effect within one slice instead of after every
// epoch asked for. The page asks again on its next frame, so the epochs per frame adapt to how
// long one takes. A cross-validation fold's fit is cut the same way (`Session.cvFoldPart`).

/** Milliseconds of work per slice: a little more than a frame, so fast epochs still fill it. */
export const SLICE_MS = 25;

/** Training rows per part of an epoch: small enough that a part of the widest network allowed
 * takes a few milliseconds, large enough that the calls cost little. */
export const ROWS_PER_PART = 64;

/**
 * Calls `part` until it has done `count` units (each call says how many it finished: an epoch
 * cut in parts answers 0 until its last part) or `budget` milliseconds have passed (at least one
 * call always runs). Returns the units done.
 * @param {() => number} part
 * @param {number} count
 * @param {number} [budget]
 * @param {() => number} [now]
 */
export function runSliced(part, count, budget = SLICE_MS, now = () => performance.now()) {
  const start = now();
  let done = 0;
  while (done < count) {
    done += part();
    if (now() - start >= budget) break;
  }
  return done;
}
