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
    // A page opened while the worker was activating is not among the clients it claimed:
    // it asks to be taken, so it works offline without a reload.
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.serviceWorker.controller && registration.active) registration.active.postMessage({ type: "claim" });
    });
  });
})();

// Times of day come from the server as <time class="clock" datetime="19:30">19:30</time>; shown
// here in the reader's own 12- or 24-hour habit (the browser's, as its time fields use), so a
// summary reads like the field above it. Swapped-in parts get the same.
(function localClocks(global) {
  // Chromium writes midnight-hour times as "0:05" in 24-hour locales when hours are "numeric";
  // a 24-hour reader expects "00:05", a 12-hour one "12:05 AM".
  function formatter(timeZone) {
    const habit = new Intl.DateTimeFormat(undefined, { hour: "numeric" }).resolvedOptions().hourCycle;
    const hour = habit === "h23" || habit === "h24" ? "2-digit" : "numeric";
    return new Intl.DateTimeFormat(undefined, { hour, minute: "2-digit", timeZone });
  }
  const format = formatter(undefined);
  function localise(root) {
    for (const element of root.querySelectorAll("time.clock[datetime]")) {
      const [hours, minutes] = element.getAttribute("datetime").split(":").map(Number);
      if (Number.isInteger(hours) && Number.isInteger(minutes)) {
        element.textContent = format.format(new Date(2000, 0, 1, hours, minutes));
      }
    }
  }
  global.LiftedClock = { formatter };
  localise(document);
  document.addEventListener("htmx:load", (event) => localise(event.target));
})(window);

// Settings says whether this browser keeps Lifted's storage (offline copy, waiting taps) when
// space runs low; tap.js and installing ask for it. Hidden where the browser can't tell.
(function storageStatus() {
  if (!navigator.storage || !navigator.storage.persisted) return;
  window.addEventListener("appinstalled", () => navigator.storage.persist().catch(() => {}));
  const section = document.querySelector("[data-storage]");
  if (!section) return;
  navigator.storage.persisted().then((kept) => {
    section.querySelector("[data-storage-status]").textContent = kept
      ? "This browser keeps Lifted's offline copy and any taps waiting to be sent, even when space runs low."
      : "This browser may clear Lifted's offline copy if the phone runs low on space. Taps are sent as soon as there is a connection, so little is ever at risk; adding Lifted to your Home Screen helps it stay.";
    section.hidden = false;
  }).catch(() => {});
})();
