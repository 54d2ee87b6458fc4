// index.html's early worker (www/start.js → engine.js startEarlyWorker): the first element to
// start a worker takes it, once; when the element's script ran first (its worker is started
// already), none is started early — it would be a second worker that nobody uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** A fresh copy of engine.js (its module state is per page) and a fake worker maker. */
async function fresh(tag) {
  const engine = await import(`../../www/engine.js?${tag}`);
  const made = [];
  const make = () => {
    const worker = { messages: [], postMessage(/** @type {unknown} */ m) { this.messages.push(m); } };
    made.push(worker);
    return /** @type {any} */ (worker);
  };
  return { engine, made, make };
}

test('the early worker is taken by the first worker start, once', async () => {
  const { engine, made, make } = await fresh('a');
  engine.startEarlyWorker(make);
  engine.startEarlyWorker(make); // (once per page)
  assert.equal(made.length, 1);
  assert.equal(engine.takeEarlyWorker(), made[0]);
  assert.equal(engine.takeEarlyWorker(), null);
});

test('no early worker once an element has started its own', async () => {
  const { engine, made, make } = await fresh('b');
  assert.equal(engine.takeEarlyWorker(), null); // the element's start, before start.js ran
  engine.startEarlyWorker(make);
  assert.equal(made.length, 0);
  assert.equal(engine.takeEarlyWorker(), null);
});
