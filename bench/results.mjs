// bench/results.json: rows [{ task, n, ours_ms, peer, peer_ms, ratio, … }], keyed by task and n;
// each benchmark merges its new rows over the previous file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

export function mergeResults(rows) {
  let previous = [];
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    // no previous results
  }
  const key = (r) => `${r.task}|${r.n}`;
  const merged = new Map(previous.map((r) => [key(r), r]));
  for (const r of rows) merged.set(key(r), r);
  writeFileSync(RESULTS, `${JSON.stringify([...merged.values()], null, 1)}\n`);
  console.log(`[bench] wrote ${RESULTS}`);
}
