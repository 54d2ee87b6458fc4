// The playground's service worker: it makes the page work offline. On install it stores every file
// the page may need (the list the build writes into www/pkg/offline.json: the page, its modules,
// the wasm and the built-in datasets); afterwards each request goes to the network first, so a
// new build is picked up as soon as there is a connection, and to the stored copy when there is
// none. Only this origin's GET requests are handled. Registered by www/offline.js from index.html
// only: an element embedded in another site never installs a worker on that site.
const CACHE = 'ml-playground-v1';
const scope = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let files = ['./', 'index.html', 'lessons.html'];
      try {
        const res = await fetch(new URL('www/pkg/offline.json', scope), { cache: 'no-cache' });
        if (res.ok) files = files.concat(await res.json());
      } catch {
        // no list (a build without it): the page's own requests still fill the cache
      }
      // one by one, so one missing file does not lose the rest
      await Promise.all(files.map((f) => cache.add(new URL(f, scope)).catch(() => {})));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== scope.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return response;
      } catch (err) {
        const stored = (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match(new URL('./', scope)) : undefined);
        if (stored) return stored;
        throw err;
      }
    })(),
  );
});
