// Lifted's outbox: a tap is written to IndexedDB FIRST and removed only once the server has
// given a definite answer, so a tap survives a dropped connection or a page closed mid-request.
//
// IndexedDB: database "lifted" (version 1), object store "outbox", keyPath "id". A record:
//   { id: the act's UUID (the server's idempotency key), occurred_at: ISO time in UTC,
//     timezone: IANA name, local_date: "YYYY-MM-DD" in that zone, queued_at: ISO time }
//
// This one file runs in two places: every page (from base.html) and the service worker
// (importScripts in sw.js, for Background Sync tag "lifted-outbox"). Both call the same
// replay(), under one Web Lock, so the two never send at the same time. The server makes a
// repeated id harmless anyway (the same id is the same act).
"use strict";

(function (global) {
  const DB_NAME = "lifted";
  const STORE = "outbox";
  const SYNC_TAG = "lifted-outbox";
  const TAP_URL = "/acts";
  const TOKEN_URL = "/acts/token";

  // ---- IndexedDB ----------------------------------------------------------------------

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, action) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = action(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const outbox = {
    add: (item) => withStore("readwrite", (store) => store.put(item)),
    remove: (id) => withStore("readwrite", (store) => store.delete(id)),
    all: () => withStore("readonly", (store) => store.getAll()),
  };

  // ---- Sending ------------------------------------------------------------------------

  let token = null;

  function pageToken() {
    if (!global.document || !document.body) return null;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || null;
    } catch (error) {
      return null;
    }
  }

  // A page kept offline may carry a stale CSRF token; the server hands out the current one.
  async function freshToken() {
    const response = await fetch(TOKEN_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "application/json" },
    });
    if (!response.ok) throw new Error(`token: ${response.status}`);
    token = (await response.json()).csrf;
    if (global.document && document.body) {
      // The page's own forms and htmx requests should not trip over the old token either.
      document.body.setAttribute("hx-headers", JSON.stringify({ "x-csrftoken": token }));
      document.querySelectorAll("input[name=_csrf_token]").forEach((input) => { input.value = token; });
    }
    return token;
  }

  function send(item, csrf) {
    const body = new URLSearchParams({ id: item.id, occurred_at: item.occurred_at });
    if (item.timezone) body.set("timezone", item.timezone);
    return fetch(TAP_URL, {
      method: "POST",
      body,
      credentials: "same-origin",
      cache: "no-store",
      // hx-request asks for the tap area's fragment (count and confirmation), not a redirect.
      headers: { "x-csrftoken": csrf, "hx-request": "true" },
    });
  }

  // 2xx: stored. 409: the id is someone else's. 422: kept aside on the server for review.
  // Each is the server's last word, so the tap may leave the outbox; anything else stays.
  function definite(status) {
    return (status >= 200 && status < 300) || status === 409 || status === 422;
  }

  // Sends every waiting tap, oldest first, until the outbox is empty or the server can't be
  // reached. Resolves to { results: [{id, status, html}], left, stopped }.
  async function replayOnce() {
    const results = [];
    const tried = new Set();
    let csrf = token || pageToken();
    let refreshed = false;
    let stopped = false;
    for (;;) {
      // Taps made while this runs are picked up too, by reading the store again.
      const items = (await outbox.all())
        .filter((item) => !tried.has(item.id))
        .sort((a, b) => (a.queued_at < b.queued_at ? -1 : 1));
      if (!items.length) break;
      for (const item of items) {
        tried.add(item.id);
        let response;
        try {
          if (!csrf) {
            csrf = await freshToken();
            refreshed = true;
          }
          response = await send(item, csrf);
          if (response.status === 403 && !refreshed) {
            csrf = await freshToken();
            refreshed = true;
            response = await send(item, csrf);
          }
        } catch (error) {
          stopped = true; // offline: everything stays for the next try
          break;
        }
        if (definite(response.status)) {
          const html = await response.text();
          await outbox.remove(item.id);
          results.push({ id: item.id, status: response.status, html });
        } else if (response.status >= 500 || response.status === 429 || response.status === 403) {
          stopped = true; // the server can't take it now; keep it
          break;
        }
        // Any other answer (a 400 cannot come from this script's own taps): kept, and the
        // other taps still go.
      }
      if (stopped) break;
    }
    return { results, left: (await outbox.all()).length, stopped };
  }

  // One replay at a time across the pages and the service worker: a Web Lock where there is
  // one, else a chain in this context. A second caller waits, then finds little or nothing.
  let chain = Promise.resolve();
  function replay() {
    if (global.navigator && navigator.locks) {
      return navigator.locks.request("lifted-outbox", () => replayOnce());
    }
    const run = chain.then(replayOnce, replayOnce);
    chain = run.catch(() => {});
    return run;
  }

  function localDate(date, timezone) {
    try {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: timezone || undefined,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).formatToParts(date);
      const get = (type) => parts.find((p) => p.type === type).value;
      return `${get("year")}-${get("month")}-${get("day")}`;
    } catch (error) {
      const pad = (n) => String(n).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    }
  }

  function zone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function newId() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; plain-http hosts get the same UUID v4 by hand.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  global.LiftedOutbox = { DB_NAME, STORE, SYNC_TAG, outbox, replay, localDate, zone, newId };
})(self);

// ---- The page: the tap, the counter, the badge, and when to replay ------------------------
(function () {
  if (!self.document) return; // in the service worker only the outbox above is needed
  const { outbox, replay, localDate, zone, newId, SYNC_TAG } = self.LiftedOutbox;
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
  async function render() {
    let items = [];
    try {
      items = await outbox.all();
    } catch (error) {
      // No IndexedDB (some private modes): the server's figures are all there is.
    }
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
    if (outcome && !outcome.results.some((result) => result.id === item.id)) {
      feedback("Saved on this phone. It will be sent when you're back online.");
    }
  }

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
