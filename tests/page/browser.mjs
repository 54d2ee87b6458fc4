// Shared by the page tests, the page benchmark and the screenshot script: starts the dev server
// on a free port and launches Debian's headless Chromium through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/** index.html loads the element's and the worker's bundles (scripts/bundle.mjs): when a module of
 * www/ is newer than them (edited since the last build), they are made again, so a page test run
 * on its own never tests the code before the edit. */
function freshBundles() {
  const www = path.join(root, 'www');
  const bundles = ['ml-playground.bundle.js', 'worker.bundle.js'].map((f) => path.join(www, f));
  if (!bundles.every(existsSync)) return; // (not built yet: the build makes them)
  const built = Math.min(...bundles.map((f) => statSync(f).mtimeMs));
  const modules = readdirSync(www, { recursive: true })
    .filter((f) => String(f).endsWith('.js') && !String(f).endsWith('.bundle.js') && !/^(pkg|vendor)\//.test(String(f)));
  if (modules.some((f) => statSync(path.join(www, String(f))).mtimeMs > built)) {
    execFileSync(process.execPath, [path.join(root, 'scripts/bundle.mjs')], { stdio: 'inherit' });
  }
}

/** Starts scripts/serve.mjs on a port the system picks (port 0: always free; a random port could
 * collide with one in use, which made a CI run fail with EADDRINUSE); resolves to { url, stop }. */
export function startServer() {
  freshBundles();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), '--port', '0', '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (d) => resolve({ url: String(d).trim(), stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** A state as a link's `s=` value (JSON, base64url). */
export const enc = (state) => Buffer.from(JSON.stringify(state)).toString('base64url');

/** Records the page's console errors and page errors into `page.errors`; returns the page. */
export function watchErrors(page) {
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

/** A page in a context of its own (more context options: `hasTouch`, `isMobile`, `locale`…) that
 * records console errors and page errors into `page.errors`. */
export async function newPage(browser, { width = 1280, height = 900, dpr = 1, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr, ...options });
  return watchErrors(await context.newPage());
}

/** Waits until the element's worker has answered (a snapshot is drawn). */
export async function waitReady(page, selector = 'ml-playground') {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return el && el.snapshot && el.layout && el.inflight === 0;
  }, selector, { timeout: 20000 });
}
