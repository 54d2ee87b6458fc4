// @ts-check
// Work in the training worker runs in slices with a time budget: a request for many epochs runs
// them one at a time and answers once the budget is spent (with the epochs done so far), so Pause,
// Cancel and new edits, which wait in the worker's queue, take effect within one slice instead of
// after every epoch asked for. The page asks again on its next frame, so the epochs per frame
// adapt to how long one takes.

/** Milliseconds of work per slice: a little more than a frame, so fast epochs still fill it. */
export const SLICE_MS = 25;

/**
 * Calls `step` up to `count` times, stopping once `budget` milliseconds have passed (at least one
 * call always runs). Returns how many ran.
 * @param {() => void} step
 * @param {number} count
 * @param {number} [budget]
 * @param {() => number} [now]
 */
export function runSliced(step, count, budget = SLICE_MS, now = () => performance.now()) {
  const start = now();
  let done = 0;
  while (done < count) {
    step();
    done += 1;
    if (now() - start >= budget) break;
  }
  return done;
}
