// The dev server (scripts/serve.mjs, `npm start`): it serves the page's files and nothing outside
// them — a path that climbs out of the root, plainly or encoded (`%2e%2e`, `%2f`, backslashes,
// absolute paths, NUL), is refused with 403 and a project file that is not part of the page
// (package.json) is 404 — and it sends text compressed when the browser accepts it (brotli, else
// gzip), bodies that decompress to the file's bytes, revalidated by ETag.
// Requests go through raw `http.request`, which sends the path exactly as written (a browser or
// `fetch` would normalise `..` away before sending).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** @type {import('node:child_process').ChildProcess} */
let child;
let port = 0;

before(async () => {
  child = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  port = Number(new URL(url).port);
});
after(() => child.kill());

/** GET (or `method`) `rawPath` as is; resolves to { status, headers, body: Buffer }. */
function request(rawPath, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = readFileSync(path.join(root, 'package.json'));

test('paths that leave the served root are refused, plain or encoded', async () => {
  const attempts = [
    '/www/../package.json',
    '/www/%2e%2e/package.json',
    '/www/%2E%2E/package.json',
    '/www/..%2fpackage.json',
    '/www/%2e%2e%2fpackage.json',
    '/www/..\\package.json',
    '/www/..%5cpackage.json',
    '/www/%2e%2e%5cpackage.json',
    '/examples/../../../../../../etc/passwd',
    '/www/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/www//etc/passwd',
    '/www/%2fetc/passwd',
    `/www/${encodeURIComponent(path.join(root, 'package.json'))}`,
    '/www/./../package.json',
    '/www/api.js%00.png',
    '/www/%c0%ae%c0%ae/package.json',
  ];
  for (const p of attempts) {
    const res = await request(p);
    assert.ok([400, 403, 404].includes(res.status), `${p}: status ${res.status}`);
    assert.ok(!res.body.includes(SECRET.subarray(0, 40)), `${p} sent package.json`);
    assert.ok(!/root:.*:0:0:/.test(String(res.body)), `${p} sent /etc/passwd`);
  }
  // the plain `..` forms are named as refused, not as missing
  for (const p of ['/www/../package.json', '/www/%2e%2e/package.json', '/www/..%5cpackage.json']) {
    assert.equal((await request(p)).status, 403, p);
  }
});

test('files of the project that are not the page are not served', async () => {
  for (const p of ['/package.json', '/Cargo.toml', '/scripts/serve.mjs', '/src/lib.rs', '/.git/config', '/www/pkg/.built']) {
    assert.equal((await request(p)).status, 404, p);
  }
});

test('the page and its modules are served as they are on disk', async () => {
  const index = await request('/');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type'], /^text\/html/);
  assert.deepEqual(index.body, readFileSync(path.join(root, 'index.html')));
  const api = await request('/www/api.js?v=1');
  assert.equal(api.status, 200);
  assert.match(api.headers['content-type'], /^text\/javascript/);
  assert.equal(api.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as is');
  assert.deepEqual(api.body, readFileSync(path.join(root, 'www/api.js')));
  const head = await request('/www/api.js', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal((await request('/www/no-such-file.js')).status, 404);
  assert.equal((await request('/www/api.js', {}, 'POST')).status, 405);
});

test('text goes out compressed per Accept-Encoding and decompresses to the file', async () => {
  for (const file of ['www/api.js', 'www/ml-playground.css', 'index.html', 'www/i18n/en.js']) {
    const bytes = readFileSync(path.join(root, file));
    const br = await request(`/${file}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br', file);
    assert.match(br.headers.vary ?? '', /Accept-Encoding/);
    assert.ok(br.body.length < bytes.length, `${file}: ${br.body.length} ≥ ${bytes.length}`);
    assert.deepEqual(zlib.brotliDecompressSync(br.body), bytes, file);
    const gz = await request(`/${file}`, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip', file);
    assert.deepEqual(zlib.gunzipSync(gz.body), bytes, file);
    // refused brotli (q=0) falls back to gzip; the tags differ per encoding
    const noBr = await request(`/${file}`, { 'Accept-Encoding': 'br;q=0, gzip' });
    assert.equal(noBr.headers['content-encoding'], 'gzip', file);
    assert.notEqual(br.headers.etag, gz.headers.etag);
    // revalidation by ETag: 304 without a body
    const again = await request(`/${file}`, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
    assert.equal(again.status, 304, file);
    assert.equal(again.body.length, 0);
  }
});
