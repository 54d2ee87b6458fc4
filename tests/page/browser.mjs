// Shared by the page tests, the page benchmark and the screenshot script: starts the dev server
// on a free port and launches Debian's headless Chromium through playwright-core.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/** Starts scripts/serve.mjs on a port the system picks (port 0: always free; a random port could
 * collide with one in use, which made a CI run fail with EADDRINUSE); resolves to { url, stop }. */
export function startServer() {
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

/** A page that records console errors and page errors into `page.errors`. */
export async function newPage(browser, { width = 1280, height = 900, dpr = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

/** Waits until the element's worker has answered (a snapshot is drawn). */
export async function waitReady(page, selector = 'ml-playground') {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return el && el.snapshot && el.layout && el.inflight === 0;
  }, selector, { timeout: 20000 });
}
