// The page's hand-written JSDoc types of what Rust sends (www/types.js: State, Report, Scene, Views,
// Snapshot) checked against real values: every family on classification and regression data
// trains a little in a wasm Session, and each snapshot it gives is written out as a typed literal
// (`/** @type {Snapshot} */ const s = {…}`) that `tsc` checks. A field renamed, dropped or retyped
// in Rust, or one added to a type that lists its fields exactly (Report, Views), fails here
// instead of drifting. Types with an index signature (`[key: string]: any`) accept extra fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, Session, models } from '../../www/api.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A JS literal of a value from the wasm: typed arrays as constructors, NaN and ±Infinity by name. */
function literal(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return `new ${v.constructor.name}([${Array.from(/** @type {any} */ (v)).slice(0, 8).join(', ')}])`;
  if (Array.isArray(v)) return `[${v.slice(0, 8).map(literal).join(', ')}]`;
  if (v instanceof Map) throw new Error('a Map crossed from the wasm');
  return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')} }`;
}

test('every snapshot the wasm gives matches the page\'s JSDoc types', async () => {
  await load();
  const families = models().families;
  const snapshots = [];
  for (const family of families) {
    // a family that clusters serves data of every task
    for (const task of family.tasks.includes('clustering') ? ['classification', 'regression'] : family.tasks) {
      const data = task === 'classification' ? { kind: 'moons', n: 60, seed: 3 } : { kind: 'sine', n: 60, seed: 3 };
      const session = new Session({ data, model: { kind: family.kind } });
      session.step(3);
      const scene = session.scene(16, 8, 8);
      const pixels = session.takeSurface();
      const thumbnails = session.neuronThumbnails(4);
      snapshots.push({
        id: snapshots.length, type: 'snapshot', scene,
        surface: pixels ? { width: 8, height: 8, pixels } : null,
        thumbnails: thumbnails.length ? { size: 4, pixels: thumbnails } : null,
        report: session.report(), views: session.views(), history: session.history(), state: session.state(),
      });
      session.free();
    }
  }
  assert.ok(snapshots.length >= families.length);
  const dir = mkdtempSync(path.join(root, 'tests/node/.types-'));
  try {
    const file = path.join(dir, 'values.js');
    const lines = ['// @ts-check', "/** @typedef {import('../../../www/types.js').Snapshot} Snapshot */"];
    snapshots.forEach((s, i) => lines.push(`/** @type {Snapshot} */\nexport const s${i} = ${literal(s)};`));
    writeFileSync(file, lines.join('\n') + '\n');
    const tsc = path.join(root, 'node_modules/.bin/tsc');
    const args = ['--ignoreConfig', '--noEmit', '--allowJs', '--checkJs', '--strict', '--target', 'es2022', '--module', 'esnext',
      '--moduleResolution', 'bundler', '--lib', 'es2023,dom', '--skipLibCheck', file];
    try {
      execFileSync(tsc, args, { cwd: root, encoding: 'utf8' });
    } catch (err) {
      assert.fail(`the page's types differ from what the wasm sends:\n${/** @type {any} */ (err).stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
