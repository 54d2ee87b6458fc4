// Boundary micro-benchmark (Node): what crossing JS ⇄ wasm costs on a 100k-point session, per
// call the worker makes for a snapshot (scene, report, views, history, state) and per call the
// page makes to draw (the scene going into renderScene), and posting them (structuredClone).
//   node bench/boundary.mjs [rows]
import { load, Session, renderScene } from '../www/api.js';

await load();
const rows = Number(process.argv[2] ?? 100000);
let s = 1;
const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const lines = ['sepal,petal,species'];
for (let i = 0; i < rows; i++) {
  const c = rand() < 0.3 ? 1 : 0;
  lines.push(`${(c * 2 + rand() * 3).toFixed(4)},${(c + rand() * 2).toFixed(4)},${c ? 'virginica' : 'setosa'}`);
}
const bytes = new TextEncoder().encode(lines.join('\n'));
const session = new Session({ data: { kind: 'moons', n: 200 }, model: { kind: 'logistic' } });
session.importCsv(bytes, Uint32Array.from([0, 1]), 2, 'auto');
session.fitNow();

function time(name, f, reps = 15) {
  f();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} median ${t[t.length >> 1].toFixed(2)} ms  min ${t[0].toFixed(2)} ms`);
}

const scene = session.scene(512);
const views = session.views();
console.log(`${scene.xs.length} points; views: ${Object.keys(views).filter((k) => views[k] != null).join(', ')}`);
time('session.scene(512)', () => session.scene(512));
time('session.report()', () => session.report());
time('session.views()', () => session.views());
time('session.history()', () => session.history());
time('session.state()', () => session.state());
// Node has no canvas: a stand-in without a 2-D context makes renderScene read the scene (the
// boundary part) and then throw, so this times the scene's way in.
const noCanvas = { width: 800, height: 600, getContext: () => null };
time('renderScene input (scene)', () => {
  try {
    renderScene(noCanvas, scene, 1);
  } catch (err) {
    if (err.kind !== 'render') throw err;
  }
});
time('structuredClone(scene)', () => structuredClone(scene));
time('structuredClone(views)', () => structuredClone(views));
