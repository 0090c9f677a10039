// Haven's service worker: keeps the app shell available offline.
//
// BUILD is replaced at build time (by `cargo xtask build`) with a hash of the built files,
// so every release is a new worker: it installs in the background and takes over at once.
// Under `trunk serve` the placeholder stays and the worker caches nothing.
//
// Every file of the build (the shell, each section's chunks, styles, icons), listed by
// `cargo xtask build`, is precached at install, so every section works offline after one
// visit. The previous build's cache is kept until the one before it is replaced: a page that
// started on the previous build can still load that build's chunks, which the server no
// longer has, until it reloads onto the new one.
'use strict';

const BUILD = '__HAVEN_BUILD__';
const CACHING = !BUILD.startsWith('__');
const PREFIX = 'haven-shell-';
const CACHE = PREFIX + BUILD;
const FILES = ['__HAVEN_FILES__'].filter((url) => !url.startsWith('__'));
// The order in which builds took over, newest last (a cache of its own, one entry).
const HISTORY = 'haven-builds';

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  await cache.addAll(FILES);
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
    const history = await caches.open(HISTORY);
    const seen = await history.match('/order');
    const order = (seen ? await seen.json() : []).filter((build) => build !== BUILD);
    order.push(BUILD);
    const keep = new Set(order.slice(-2).map((build) => PREFIX + build));
    await history.put('/order', new Response(JSON.stringify([...order.slice(-2)])));
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !keep.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

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

// Hashed files never change, so a copy from the current or the previous build will do.
async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}
