// @ts-check
// Registers the playground's service worker (../sw.js), so the page, the wasm and the built-in
// datasets load offline after a first visit. Loaded by index.html only: embeds on other sites do
// not install a worker there.
// The worker's install downloads every file the page may need, the wasm among them: on a slow
// link that would share the line with the page's own first load, so it is registered once the
// wasm has compiled. Asking for the module here also starts its compilation while it downloads
// (index.html preloads it), before the element's modules have all arrived.
import { scriptUrl } from './util.js';
import { wasmModule } from './engine.js';

function register() {
  navigator.serviceWorker.register(scriptUrl(new URL('../sw.js', import.meta.url)), { type: 'classic' }).catch((err) => {
    console.warn('offline mode is unavailable:', err?.message ?? err);
  });
}

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  wasmModule().then(register, register);
}
