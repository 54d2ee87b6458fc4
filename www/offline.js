// @ts-check
// Registers the playground's service worker (../sw.js), so the page, the wasm and the built-in
// datasets load offline after a first visit. Loaded by index.html only: embeds on other sites do
// not install a worker there.
import { scriptUrl } from './util.js';

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register(scriptUrl(new URL('../sw.js', import.meta.url)), { type: 'classic' }).catch((err) => {
    console.warn('offline mode is unavailable:', err?.message ?? err);
  });
}
