// Makes the web walkie installable and lets its shell open while the network is slow: the page's own files are cached
// on first visit and served from the cache while a fresh copy is fetched. The API and the WebSocket always go to the
// gateway (live audio and sessions are never cached).
const cacheName = 'walkie-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(['./', 'index.html', 'css/app.css', 'icon.svg', 'manifest.webmanifest'])));
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k)))));
  self.clients.claim();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/v1/')) {
    return;
  }
  event.respondWith(caches.open(cacheName).then(async (cache) => {
    const cached = await cache.match(event.request);
    const fresh = fetch(event.request).then((response) => {
      if (response.ok) { cache.put(event.request, response.clone()); }
      return response;
    }).catch(() => cached);
    return cached || fresh;
  }));
});
