// Serves the playground (index.html, www/, examples/) on localhost and prints the URL.
//   node scripts/serve.mjs [--port N] [--quiet]
// Port: --port, else $PORT, else 8080 (the next free one if taken).
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const quiet = args.includes('--quiet');
let port = Number(portArg >= 0 ? args[portArg + 1] : process.env.PORT || 8080);

// dev: files are read on each request (edits show at once), revalidated by ETag; the build's
// precompressed .br / .gz copies of the wasm and its glue are sent to browsers that accept them.
const files = sirv(root, { dev: true, dotfiles: false, etag: true, brotli: true, gzip: true });
const server = http.createServer((req, res) => {
  // Only the page's own files are served.
  if (!/^\/(|index\.html|lessons\.html|sw\.js|www\/.*|examples\/.*|favicon\.ico)(\?.*)?$/.test(req.url)) {
    res.statusCode = 404;
    return res.end('not found');
  }
  files(req, res, () => {
    res.statusCode = 404;
    res.end('not found');
  });
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
