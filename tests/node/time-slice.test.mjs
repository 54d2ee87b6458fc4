// The worker's time slices (issue 10 item 16): a request for many epochs stops once the budget is
// spent, so a Pause or an edit waiting behind it is read within one slice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSliced, SLICE_MS } from '../../www/time-slice.js';

test('steps run until the budget is spent, at least one, at most the count', () => {
  let clock = 0;
  const now = () => clock;
  let calls = 0;
  const slow = () => { calls += 1; clock += 10; }; // an epoch of 10 ms
  assert.equal(runSliced(slow, 1000, 25, now), 3, '10, 20, 30 ms: stops after the third');
  assert.equal(calls, 3);
  clock = 0;
  assert.equal(runSliced(() => { clock += 0.01; }, 1000, 25, now), 1000, 'fast epochs: all of them');
  clock = 0;
  assert.equal(runSliced(() => { clock += 400000; }, 1000, 25, now), 1, 'one epoch of minutes: one, then answer');
  assert.ok(SLICE_MS > 16 && SLICE_MS < 100);
});
