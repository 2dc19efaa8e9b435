// Service worker: caches the app's files on first visit so that the planner
// opens without a network afterwards. The cache name carries a hash of the
// build, written by web/tools/package.mjs, so a new build replaces the old.
'use strict';
const CACHE = 'change-planner-@PLANNER_BUILD_HASH@';
const FILES = ['./', 'index.html', 'planner.js', 'planner.wasm', 'planner.css', 'boot.js', 'manifest.webmanifest', 'icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('change-planner-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET' || new URL(event.request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then((cache) =>
    cache.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request))));
});
