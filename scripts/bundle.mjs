// Bundles the page's modules for index.html (issue 15, a fast first load): the element's ~40
// modules become www/ml-playground.bundle.js and the training worker's become
// www/worker.bundle.js, so the browser makes one request where it made a cascade of them (three
// levels of imports for the element, two for the worker: on HTTP/1.1's six connections per host
// and a link with latency, each level is a round trip). Same code, whitespace and syntax
// minified, names kept (stack traces stay readable). The modules themselves stay what embeds and
// the npm package load (`www/ml-playground.js`); the bundles are made by the build, not committed.
// Left outside the element's bundle, so there is one copy of each per page: engine.js (the
// compiled wasm, shared with offline.js and every worker), util.js (its Trusted Types policy may
// be created once), the wasm's glue, the catalogs (zh.js loads only when chosen) and the lessons.
// A bundle's own `import.meta.url` is www/…, as its modules' are: every relative URL resolves as before.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  format: /** @type {const} */ ('esm'),
  target: 'es2022',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: /** @type {const} */ ('warning'),
  absWorkingDir: root,
};
await build({
  ...common,
  entryPoints: ['www/ml-playground.js'],
  outfile: 'www/ml-playground.bundle.js',
  external: ['./engine.js', './util.js', './pkg/*', './i18n/*', './lessons/index.js'],
});
await build({ ...common, entryPoints: ['www/worker.js'], outfile: 'www/worker.bundle.js' });
console.error('[build] www/ml-playground.bundle.js, www/worker.bundle.js');
