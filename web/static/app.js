// Lifted's page script: registers the service worker. Features add small, separate modules.
"use strict";

(function registerServiceWorker() {
  const url = document.body && document.body.dataset.sw;
  if (!url || !("serviceWorker" in navigator)) return;
  // Registration waits for load so it never competes with the first paint.
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // Without a service worker the app still works online; nothing to tell the reader.
    });
  });
})();
