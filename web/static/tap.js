// Lifted's tap on the page: instant feedback, the counter, the "waiting to sync" badge, and
// when to replay the outbox (web/static/outbox.js, loaded before this file, holds the store
// and the one replay() the service worker shares).
"use strict";

(function () {
  if (!self.LiftedOutbox) return;
  const { outbox, waiting, refusedOnes, replay, localDate, zone, newId, SYNC_TAG } = self.LiftedOutbox;
  const UNDO_MS = 10000;
  // Taps made on this page: their server answer (confirmation, Undo) is shown when it comes.
  const recent = new Set();

  function countText(count) {
    // The same words as server/acts/status.py's count_text.
    if (count === 0) return "Nothing logged yet today, and that's okay";
    return `${count} act${count === 1 ? "" : "s"} of kindness today`;
  }

  // The server's count for its day, plus taps still waiting that belong to today. A page
  // from the offline cache may be from another day: then only the waiting taps count.
  // Refused taps count nowhere; they are announced to outbox-notice.js instead.
  async function render() {
    let all = [];
    try {
      all = await outbox.all();
    } catch (error) {
      // No IndexedDB (some private modes): the server's figures are all there is.
    }
    document.dispatchEvent(new CustomEvent("lifted:outbox-refused", { detail: refusedOnes(all) }));
    const items = waiting(all);
    const badge = document.querySelector("[data-outbox-badge]");
    if (badge) badge.textContent = items.length ? `${items.length} waiting to sync` : "";
    const counter = document.querySelector("[data-tap-count]");
    if (!counter) return;
    const today = localDate(new Date(), zone());
    const base = counter.dataset.date === today ? Number(counter.dataset.count) || 0 : 0;
    const shown = base + items.filter((item) => item.local_date === today).length;
    counter.dataset.shown = String(shown);
    counter.textContent = countText(shown);
  }

  function expireUndo(root) {
    root.querySelectorAll("[data-undo]:not([data-expires])").forEach((form) => {
      form.dataset.expires = "1";
      setTimeout(() => form.remove(), UNDO_MS);
    });
  }

  function feedback(text) {
    const status = document.getElementById("tap-status");
    if (!status) return;
    status.querySelectorAll("[data-tap-feedback], .tap-actions").forEach((el) => el.remove());
    const line = document.createElement("p");
    line.className = "tap-confirmation";
    line.dataset.tapFeedback = "";
    line.textContent = text;
    status.appendChild(line);
  }

  // Shows the server's answers: the whole tap area for a tap made here, else only the new
  // count (and any "kept aside" message), since an old tap's confirmation would confuse.
  async function show(results) {
    const status = document.getElementById("tap-status");
    if (status && results.length) {
      const last = results[results.length - 1];
      const fresh = document.createElement("template");
      fresh.innerHTML = last.html;
      if (recent.has(last.id)) {
        status.replaceChildren(fresh.content);
      } else {
        const counter = fresh.content.querySelector("[data-tap-count]");
        if (counter) status.querySelector("[data-tap-count]")?.replaceWith(counter);
        const error = fresh.content.querySelector(".tap-error");
        if (error) {
          status.querySelectorAll("[data-tap-feedback], .tap-actions").forEach((el) => el.remove());
          status.appendChild(error);
        }
      }
      if (self.htmx) htmx.process(status);
      expireUndo(status);
    }
    results.forEach((result) => recent.delete(result.id));
    await render();
    if (results.length) refreshOfflinePages();
  }

  // Keeps the offline copies of the pages with figures in step with what was just saved.
  let refreshTimer = null;
  function refreshOfflinePages() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (worker) worker.postMessage({ type: "refresh-pages", urls: ["/", "/acts", "/progress"] });
    }, 1500);
  }

  async function sync() {
    let outcome;
    try {
      outcome = await replay();
    } catch (error) {
      return null; // IndexedDB unavailable: nothing was waiting
    }
    await show(outcome.results);
    if (outcome.left) askForBackgroundSync();
    return outcome;
  }

  function askForBackgroundSync() {
    // Chromium's Background Sync sends the taps even after this page is closed; elsewhere
    // the `online` event and the next page load do it.
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
      .catch(() => {});
  }

  async function tap(event) {
    const form = event.target.closest("[data-outbox-form]");
    if (!form) return;
    event.preventDefault();
    const now = new Date();
    const timezone = zone();
    const item = {
      id: newId(),
      occurred_at: now.toISOString(),
      timezone,
      local_date: localDate(now, timezone),
      queued_at: now.toISOString(),
    };
    // Feedback first, before any storage or network: the counter moves within a frame.
    const counter = document.querySelector("[data-tap-count]");
    if (counter) {
      const shown = Number(counter.dataset.shown || counter.dataset.count || 0) + 1;
      counter.dataset.shown = String(shown);
      counter.textContent = countText(shown);
    }
    if (navigator.vibrate) navigator.vibrate(15);
    try {
      await outbox.add(item);
    } catch (error) {
      // Without IndexedDB the plain form post still logs the tap (and keeps its id).
      form.querySelector("input[name=id]").value = item.id;
      form.submit();
      return;
    }
    recent.add(item.id);
    await render();
    const outcome = await sync();
    const answered = (id) => outcome.results.some((result) => result.id === id) || outcome.refused.includes(id);
    if (outcome && !answered(item.id)) {
      feedback("Saved on this phone. It will be sent when you're back online.");
    }
  }

  // For outbox-notice.js: after "Try again" or "Remove it".
  Object.assign(self.LiftedOutbox, { sync, render });

  document.addEventListener("submit", tap);
  window.addEventListener("online", () => sync());
  // After any request that went through, the connection is back: send what waits.
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) sync();
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    expireUndo(event.detail.target);
    render();
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox-synced") show(event.data.results || []);
    });
  }
  function start() {
    expireUndo(document);
    render().then(sync);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
