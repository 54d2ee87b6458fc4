// Copies the page's third-party files from node_modules into www/vendor (served from our own
// origin, stored by the service worker for offline use; nothing comes from a CDN):
//   www/vendor/katex/katex.js        KaTeX's minified build as an ES module (its UMD file wrapped)
//   www/vendor/katex/katex.min.css    its stylesheet (the fonts by relative URL)
//   www/vendor/katex/fonts/*.woff2    its fonts (woff2 only: every browser that runs the wasm reads it)
// plus precompressed .br / .gz copies of the script and the stylesheet. Run by scripts/build.sh;
// quick when the copies are newer than the package.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'node_modules/katex/dist');
const out = path.join(root, 'www/vendor/katex');
if (!existsSync(dist)) {
  console.error('[vendor] node_modules/katex is missing: run `npm ci`');
  process.exit(1);
}
const stamp = path.join(out, '.copied');
const pkg = path.join(root, 'node_modules/katex/package.json');
if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(pkg).mtimeMs && statSync(stamp).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs) process.exit(0);

mkdirSync(path.join(out, 'fonts'), { recursive: true });
const compressed = (file, data) => {
  writeFileSync(file, data);
  writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
  writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
};
// The UMD build assigns `module.exports` when `module` and `exports` are objects: give it both.
const umd = readFileSync(path.join(dist, 'katex.min.js'), 'utf8');
const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
compressed(path.join(out, 'katex.js'), Buffer.from(
  `// KaTeX ${version} (MIT), its minified UMD build wrapped as an ES module by scripts/vendor.mjs.\n` +
  `const module = { exports: {} }; const exports = module.exports;\n${umd}\nexport default module.exports;\n`));
compressed(path.join(out, 'katex.min.css'), readFileSync(path.join(dist, 'katex.min.css')));
for (const font of readdirSync(path.join(dist, 'fonts'))) {
  if (font.endsWith('.woff2')) copyFileSync(path.join(dist, 'fonts', font), path.join(out, 'fonts', font));
}
writeFileSync(stamp, '');
const size = (f) => statSync(path.join(out, f)).size;
console.error(`[vendor] www/vendor/katex: katex.js ${Math.round(size('katex.js') / 1024)} KiB (${Math.round(size('katex.js.br') / 1024)} KiB brotli), css ${Math.round(size('katex.min.css.br') / 1024)} KiB brotli`);
