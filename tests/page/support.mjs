// What every page test file needs (on top of browser.mjs): one dev server and one browser for the
// file's tests, a state encoded into the link's hash, a page opened on a state and ready, waiting
// until the element has nothing in flight, and pages that record console errors (`page.errors`).
//   import { useBrowser, server, browser, open, settle } from './support.mjs';
//   useBrowser();
import { before, after } from 'node:test';
import { startServer, launch, newPage, waitReady, enc } from './browser.mjs';

export { newPage, waitReady, watchErrors, enc, root } from './browser.mjs';

/** The file's dev server ({ url, stop }) and browser: set before its first test by useBrowser
 * (live bindings: read them inside the tests, not at the top of the file). */
export let server;
export let browser;

/** Starts the dev server and the browser before the file's first test, and stops them after its last. */
export function useBrowser() {
  before(async () => {
    server = await startServer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });
}

/** The page's address for `state` (none: the default state), in `lang` (en, zh) when given. */
export function pageUrl(state, lang) {
  const hash = [lang && `lang=${lang}`, state && `s=${enc(state)}`].filter(Boolean).join('&');
  return hash ? `${server.url}#${hash}` : server.url;
}

/** A new page (newPage's options: width, height, hasTouch…) opened on `state` in `lang` (or on
 * the address `state`, a string: a copied link), its first snapshot drawn. */
export async function open(state, { lang, ...options } = {}) {
  const page = await newPage(browser, options);
  await page.goto(typeof state === 'string' ? state : pageUrl(state, lang));
  await waitReady(page);
  return page;
}

/** Waits until the element's worker has answered every request (within `timeout` ms: a long one,
 * since the machine may be shared; only a failing test waits it out). */
export const settle = (page, timeout = 60000) =>
  page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0, null, { timeout });

/**
 * What overlaps in the element's shadow root under `selector` (each match's own box, e.g. a settings
 * group): every pair of visible controls (button, select, input, output, summary) and lines of
 * text whose boxes intersect by more than a pixel each way (a pixel: joined buttons share their
 * border), one not holding the other; and what sticks out of the match's box sideways. Text for
 * screen readers only, and what is inside a box that scrolls or clips (a wide formula), are left
 * out. Each as 'what ⟂ what' / 'what ⟶ out of box'.
 */
export function overlaps(page, selector) {
  return page.evaluate((selector) => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const CONTROLS = 'button, select, input:not([type=file]), output, summary, textarea';
    const found = [];
    for (const box of root.querySelectorAll(selector)) {
      if (!box.checkVisibility()) continue;
      /** @type {{ what: string, node: Node, r: DOMRect }[]} */
      const items = [];
      const name = (el) => `${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}` +
        `[${(el.closest('[data-key]')?.dataset.key ?? '')}]${el.textContent?.trim() ? ` "${el.textContent.trim().slice(0, 24)}"` : ''}`;
      /** Inside a box (under the match) that scrolls or clips, or read by screen readers only. */
      const aside = (el) => {
        if (el.closest('.sr-only')) return true;
        for (let e = el.parentElement; e && e !== box; e = e.parentElement) if (getComputedStyle(e).overflowX !== 'visible') return true;
        return false;
      };
      for (const el of box.querySelectorAll(CONTROLS)) {
        const r = el.getBoundingClientRect();
        if (el.checkVisibility() && r.width > 0 && r.height > 0 && !aside(el)) items.push({ what: name(el), node: el, r });
      }
      // each line of each text not inside a control (a control's own text is inside its box)
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent.trim() || t.parentElement.closest(CONTROLS) || !t.parentElement.checkVisibility() || aside(t.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(t);
        for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) items.push({ what: `text "${t.textContent.trim().slice(0, 24)}"`, node: t, r });
      }
      const outer = box.getBoundingClientRect();
      for (const a of items) if (a.r.left < outer.left - 1 || a.r.right > outer.right + 1) found.push(`${a.what} ⟶ out of ${selector}`);
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const [a, b] = [items[i], items[j]];
          if (a.node === b.node || a.node.contains(b.node) || b.node.contains(a.node)) continue;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 1 && h > 1) found.push(`${a.what} ⟂ ${b.what}`);
        }
      }
    }
    return found;
  }, selector);
}

/** The screens a layout test looks at: a laptop, a phone, and a phone's touch screen (coarse
 * pointer: 24-px "?" buttons). `name` aside, each is newPage's options. */
export const SCREENS = [
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'touch phone', width: 390, height: 844, hasTouch: true, isMobile: true },
];

/** Opens the settings groups named (all without names) as the learner would: a phone shows them
 * closed (an accordion). */
export function openGroups(page, sections = null) {
  return page.evaluate((sections) => {
    for (const d of document.querySelector('ml-playground').shadowRoot.querySelectorAll('details.group')) d.open = !sections || sections.includes(d.dataset.section);
  }, sections);
}

/** Ends the element's worker as a crash would (the page is to notice and start another; the dead
 * one stays in window.deadWorker for the test to tell them apart). */
export function killWorker(page) {
  return page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    window.deadWorker = el.worker;
    el.worker.terminate();
  });
}
