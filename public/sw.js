// Haven's service worker: keeps the app shell available offline.
//
// BUILD is replaced at build time (by `cargo xtask build`) with a hash of the built files,
// so every release is a new worker: it installs in the background, takes over on the next
// open, and removes the previous version's cache. Under `trunk serve` the placeholder stays
// and the worker caches nothing.
'use strict';

const BUILD = '__HAVEN_BUILD__';
const CACHING = !BUILD.startsWith('__');
const CACHE = 'haven-shell-' + BUILD;
// Feature modules the shell imports when a section opens (stamped by `cargo xtask build`).
const MODULES = ['__HAVEN_MODULES__'].filter((url) => !url.startsWith('__'));
// Same-origin files the shell needs; index.html names the hashed script, wasm and styles.
const ASSET = /(?:href|src)="(\/[^"#?]+\.(?:js|wasm|css|svg|png|webmanifest))"/g;

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  const html = await response.clone().text();
  const assets = new Set(['/manifest.webmanifest', ...MODULES]);
  for (const match of html.matchAll(ASSET)) assets.add(match[1]);
  await cache.addAll([...assets]);
  await cache.put('/', response);
  // The clinic's name, colours and crisis lines, for the first offline open; refreshed on
  // every online fetch. A failure here must not stop the shell from installing.
  await cache.add('/api/config').catch(() => {});
}

self.addEventListener('install', (event) => {
  if (CACHING) event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('haven-shell-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Network first for pages and the clinic configuration (fresh when online, cached when
// not); cache first for the hashed, immutable assets. Nothing else is cached: API answers
// with patient data never enter Cache Storage.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!CACHING || request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, '/'));
  } else if (url.pathname === '/api/config') {
    event.respondWith(networkFirst(request, '/api/config'));
  } else if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/console/')) {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}
