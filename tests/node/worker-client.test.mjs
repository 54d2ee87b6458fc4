// The page's worker client (www/worker-client.js) in Node with a stand-in Worker: every request
// is answered exactly once, an error with no snapshot after it still answers its request
// (issue 10, item 14), and a reply older than the latest change of state is marked stale (item 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** A stand-in for the browser's Worker: records what is posted; the test replies by hand. */
class FakeWorker {
  static last = null;
  constructor(url, options) {
    this.url = String(url);
    this.options = options;
    this.posted = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
    FakeWorker.last = this;
  }
  postMessage(msg) {
    this.posted.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data) {
    this.onmessage?.({ data });
  }
}
globalThis.Worker = FakeWorker;
const { WorkerClient } = await import('../../www/worker-client.js');

function client() {
  const seen = { snapshots: [], errors: [], other: [], failed: [] };
  const c = new WorkerClient(
    {
      snapshot: (msg, request, stale) => seen.snapshots.push({ id: msg.id, request, stale }),
      error: (msg) => seen.errors.push(msg),
      other: (msg) => seen.other.push(msg),
      failed: (text) => seen.failed.push(text),
    },
    () => ({ samples: 100, surface: null }),
  );
  c.start();
  return { c, w: FakeWorker.last, seen };
}

const snapshot = (id) => ({ id, type: 'snapshot', state: {}, report: {}, scene: {} });

test('every request is numbered and counted until its snapshot', () => {
  const { c, w, seen } = client();
  const a = c.post({ type: 'step', epochs: 1 });
  const b = c.post({ type: 'step', epochs: 1 });
  assert.deepEqual([a, b], [1, 2]);
  assert.deepEqual(w.posted.filter((m) => m.id).map((m) => [m.id, m.samples, m.surface]), [[1, 100, null], [2, 100, null]]);
  assert.equal(c.inflight, 2);
  w.reply(snapshot(1));
  w.reply(snapshot(2));
  assert.equal(c.inflight, 0);
  assert.deepEqual(seen.snapshots.map((s) => s.request.type), ['step', 'step']);
});

test('an error with no snapshot after it still answers its request, so Play keeps stepping (item 14)', () => {
  const { c, w, seen } = client();
  const id = c.post({ type: 'step', epochs: 1 });
  w.reply({ id, type: 'error', kind: 'invalid_input', message: 'there is no session' });
  assert.equal(c.inflight, 0, 'the failed request is no longer in flight');
  assert.equal(seen.errors.length, 1);
  // When a snapshot does follow the error, it is still applied, and nothing is counted twice.
  const next = c.post({ type: 'edit', edit: { op: 'add', x: 0, y: 0 } });
  const other = c.post({ type: 'step', epochs: 1 });
  w.reply({ id: next, type: 'error', kind: 'invalid_input', message: 'x must be finite' });
  assert.equal(c.inflight, 1);
  w.reply(snapshot(next));
  assert.equal(c.inflight, 1, 'the step is still in flight');
  assert.equal(seen.snapshots.at(-1).request.type, 'edit');
  w.reply(snapshot(other));
  assert.equal(c.inflight, 0);
});

test('a reply older than the latest change of state is stale (item 5)', () => {
  const { c, w, seen } = client();
  const step = c.post({ type: 'step', epochs: 5 });
  const configure = c.post({ type: 'configure', state: {} });
  w.reply(snapshot(step));
  w.reply(snapshot(configure));
  assert.deepEqual(seen.snapshots.map((s) => [s.id, s.stale]), [[step, true], [configure, false]]);
  // Steps do not make earlier replies stale: only changes of state do.
  const s1 = c.post({ type: 'step', epochs: 1 });
  const s2 = c.post({ type: 'step', epochs: 1 });
  w.reply(snapshot(s1));
  w.reply(snapshot(s2));
  assert.deepEqual(seen.snapshots.slice(2).map((s) => s.stale), [false, false]);
});

test('a snapshot that leaves out unchanged points gets those of the one before, stale or not; a new worker starts afresh', () => {
  const seenScenes = [];
  const c = new WorkerClient(
    { snapshot: (msg) => seenScenes.push(msg.scene), error: () => {}, other: () => {}, failed: () => {}, died: () => {} },
    () => ({ samples: 100, surface: null }),
  );
  c.start();
  const w = FakeWorker.last;
  const points = { xs: new Float64Array([1, 2]), ys: new Float64Array([3, 4]), roles: new Uint8Array([0, 1]), classes: new Uint8Array([1, 0]) };
  const a = c.post({ type: 'step', epochs: 1 });
  w.reply({ id: a, type: 'snapshot', state: {}, report: {}, scene: { ...points, curve: [1] } });
  // a change of state makes the next reply stale; it leaves its points out all the same
  c.post({ type: 'configure', state: {} });
  w.reply({ id: a, type: 'snapshot', state: {}, report: {}, scene: { same_points: true, curve: [2] } });
  assert.equal(seenScenes[1].xs, points.xs);
  assert.deepEqual([...seenScenes[1].classes], [1, 0]);
  assert.equal('same_points' in seenScenes[1], false);
  // new points replace the kept ones
  const moved = { ...points, xs: new Float64Array([5, 6]) };
  w.reply({ id: a + 1, type: 'snapshot', state: {}, report: {}, scene: { ...moved } });
  w.reply({ id: a + 1, type: 'snapshot', state: {}, report: {}, scene: { same_points: true } });
  assert.deepEqual([...seenScenes[3].xs], [5, 6]);
  // a restarted worker sends its points in full: nothing kept from the old one is used
  c.start();
  assert.equal(c.points, null);
});
