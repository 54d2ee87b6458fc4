// The worker's time slices (issue 10 item 16): a request for many epochs stops once the budget is
// spent, so a Pause or an edit waiting behind it is read within one slice, even in the middle of
// one long epoch (the epoch runs in parts; `Session.advance` says when one ended).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSliced, ROWS_PER_PART, SLICE_MS } from '../../www/time-slice.js';

test('epochs run until the budget is spent, at least one call, at most the count', () => {
  let clock = 0;
  const now = () => clock;
  let calls = 0;
  const slow = () => { calls += 1; clock += 10; return 1; }; // an epoch of 10 ms
  assert.equal(runSliced(slow, 1000, 25, now), 3, '10, 20, 30 ms: stops after the third');
  assert.equal(calls, 3);
  clock = 0;
  assert.equal(runSliced(() => { clock += 0.01; return 1; }, 1000, 25, now), 1000, 'fast epochs: all of them');
  assert.ok(SLICE_MS > 16 && SLICE_MS < 100);
  assert.ok(ROWS_PER_PART >= 16 && ROWS_PER_PART <= 256);
});

test('an epoch cut in parts is left mid-way when the budget is spent, and goes on at the next slice', () => {
  let clock = 0;
  const now = () => clock;
  // One epoch of 40 parts of 10 ms (400 ms: 5,000 rows of a wide network at batch size 1).
  let part = 0;
  const advance = () => { clock += 10; part += 1; return part % 40 === 0 ? 1 : 0; };
  const slices = [];
  let epochs = 0;
  while (epochs < 2) {
    clock = 0;
    epochs += runSliced(advance, 2 - epochs, 25, now);
    slices.push(clock);
  }
  // Every slice answered after 3 parts (30 ms), none after the whole epoch: a Pause waits 30 ms,
  // not 400 ms.
  assert.ok(slices.every((ms) => ms <= 30), `${slices}`);
  assert.equal(slices.length, Math.ceil(80 / 3));
  assert.equal(part, 80);
});
