// Serves the playground (index.html, www/, examples/) on localhost and prints the URL.
//   node scripts/serve.mjs [--port N] [--quiet]
// Port: --port, else $PORT, else 8080 (the next free one if taken).
//
// Only the page's own files are served, and never one outside the project: the request's path is
// decoded, resolved against the root and refused (403) when it climbs out of it (`..`, encoded
// `%2e%2e`, backslashes, absolute paths, NUL) and, once resolved, must be one of the page's files
// (else 404). Files are read on each request (edits show at once) and revalidated by ETag.
// Text and wasm go out compressed when the browser accepts it (brotli, else gzip): the build's
// precompressed `.br` / `.gz` copy when it is as new as the file, else compressed here once and
// kept in memory until the file changes (its mtime or size).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const quiet = args.includes('--quiet');
let port = Number(portArg >= 0 ? args[portArg + 1] : process.env.PORT || 8080);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg)/;
/** The page's files, as paths relative to the root once resolved. */
const ALLOWED = /^(index\.html|lessons\.html|sw\.js|favicon\.ico|(www|examples)\/.+)$/;

/**
 * The file a request's path names, or an HTTP status: 400 for a path that cannot be decoded,
 * 403 for one that tries to leave the root, 404 for one that is not a page file.
 * @param {string} url the request's URL as sent (path and query)
 * @returns {string | number}
 */
function resolveRequest(url) {
  const raw = url.split(/[?#]/, 1)[0];
  if (!raw.startsWith('/')) return 400;
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 400;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return 403;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return 403;
  // `//etc/passwd` or a drive name: absolute once the leading slash is gone
  const relative = segments.join('/');
  if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative) || segments.slice(0, -1).includes('')) return 403;
  const file = path.resolve(root, relative === '' ? 'index.html' : relative);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return 403;
  const posix = inside.split(path.sep).join('/');
  // dotfiles (`.built`, `.git`) are not page files
  if (!ALLOWED.test(posix) || posix.split('/').some((s) => s.startsWith('.'))) return 404;
  return file;
}

/** Compressed copies made here: `file|encoding` → { mtimeMs, size, body }. */
const compressed = new Map();

/** The `encoding` copy of `file` (stat `st`): the build's when it is as new, else made here once. */
function compressedBody(file, st, encoding) {
  const key = `${file}|${encoding}`;
  const kept = compressed.get(key);
  if (kept && kept.mtimeMs === st.mtimeMs && kept.size === st.size) return kept.body;
  let body = null;
  try {
    const pre = fs.statSync(`${file}.${encoding === 'br' ? 'br' : 'gz'}`);
    if (pre.isFile() && pre.mtimeMs >= st.mtimeMs) body = fs.readFileSync(`${file}.${encoding === 'br' ? 'br' : 'gz'}`);
  } catch {
    // no precompressed copy
  }
  if (!body) {
    const data = fs.readFileSync(file);
    body =
      encoding === 'br'
        ? zlib.brotliCompressSync(data, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: data.length > 256 * 1024 ? 9 : 11,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
              [zlib.constants.BROTLI_PARAM_MODE]: /\.(js|css|html|json|csv|svg|md|txt)$/.test(file) ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
            },
          })
        : zlib.gzipSync(data, { level: 9 });
  }
  compressed.set(key, { mtimeMs: st.mtimeMs, size: st.size, body });
  return body;
}

/** The encoding to send for an Accept-Encoding header: brotli, else gzip, else none. */
function pickEncoding(accept) {
  const offered = new Map();
  for (const part of String(accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name) => (offered.get(name) ?? (offered.has('*') ? offered.get('*') : 0)) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

function fail(res, status) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(http.STATUS_CODES[status]?.toLowerCase() ?? 'error');
}

function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405);
  const file = resolveRequest(req.url ?? '/');
  if (typeof file === 'number') return fail(res, file);
  let st;
  try {
    // a symbolic link may not lead out of the root either
    const real = fs.realpathSync(file);
    const inside = path.relative(fs.realpathSync(root), real);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return fail(res, 403);
    st = fs.statSync(real);
  } catch {
    return fail(res, 404);
  }
  if (!st.isFile()) return fail(res, 404);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const encoding = COMPRESSIBLE.test(type) && st.size > 256 ? pickEncoding(req.headers['accept-encoding']) : null;
  const tag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
  const headers = {
    'Content-Type': type,
    ETag: tag,
    'Last-Modified': st.mtime.toUTCString(),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (COMPRESSIBLE.test(type)) headers.Vary = 'Accept-Encoding';
  if (req.headers['if-none-match'] === tag) {
    res.writeHead(304, headers);
    return res.end();
  }
  let body;
  try {
    body = encoding ? compressedBody(file, st, encoding) : fs.readFileSync(file);
  } catch {
    return fail(res, 404);
  }
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

const server = http.createServer((req, res) => {
  try {
    handle(req, res);
  } catch {
    if (!res.headersSent) fail(res, 500);
    else res.destroy();
  }
});

server.on('error', (err) => {
  if (err.code === 'EADDRINUSE' && portArg < 0 && port < 8100) {
    port += 1;
    server.listen(port, '127.0.0.1');
  } else {
    console.error(`[serve] ${err.message}`);
    process.exit(1);
  }
});
server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address();
  if (!quiet) console.log(`[serve] ml-playground at http://localhost:${actual}/  (Ctrl-C to stop)`);
  else console.log(`http://localhost:${actual}/`);
});
