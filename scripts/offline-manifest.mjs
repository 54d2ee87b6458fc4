// Writes www/pkg/offline.json: every file the page may load (index.html's modules, the element's
// modules and stylesheets, the wasm and its glue, the message catalogs, the built-in datasets),
// for the service worker (sw.js) to store on its first visit. Paths relative to the site root.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = /\.(js|css|wasm|csv|json|svg|png|woff2)$/;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
    else if (keep.test(name) && !name.endsWith('.d.ts') && name !== 'offline.json') files.push(rel);
  }
})('www');
writeFileSync(path.join(root, 'www/pkg/offline.json'), JSON.stringify(files, null, 1));
console.error(`[build] www/pkg/offline.json: ${files.length} files for offline use`);
