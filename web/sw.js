// Lifted's service worker. The server prepends `self.LIFTED = {version, precache}`, derived
// from the files it serves, so any change to an article or asset installs a fresh cache.
"use strict";

const VERSION = self.LIFTED.version;
const CACHE = `lifted-${VERSION}`;
const OFFLINE_URL = "/offline";

self.addEventListener("install", (event) => {
  // Precache everything the reader needs offline: the shell, pages and hashed assets.
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(self.LIFTED.precache))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // Old versions' caches are dropped so an edited article never shows its old text.
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("lifted-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
      .then(() => broadcast({ type: "precached", version: VERSION }))
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "status") {
    event.source.postMessage({ type: "precached", version: VERSION });
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  }
});

// Hashed assets never change under the same URL, so the cache is always right.
async function cacheFirst(request) {
  const cached = await caches.match(request);
  return cached || fetch(request);
}

// Pages come from the network so figures are fresh; the last good copy serves offline.
async function networkFirstPage(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  } catch (error) {
    // `/articles?topic=x` that was never visited falls back to the full `/articles`.
    const path = new URL(request.url).pathname;
    return (await cache.match(request)) || (await cache.match(path)) ||
      (await cache.match(OFFLINE_URL)) || Response.error();
  }
}

async function broadcast(message) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((client) => client.postMessage(message));
}
