// Lifted's outbox: a tap is written to IndexedDB FIRST and removed only once the server has
// given a definite answer, so a tap survives a dropped connection or a page closed mid-request.
//
// IndexedDB: database "lifted" (version 1), object store "outbox", keyPath "id". A record:
//   { id: the act's UUID (the server's idempotency key), occurred_at: ISO time in UTC,
//     timezone: IANA name, local_date: "YYYY-MM-DD" in that zone, queued_at: ISO time,
//     details: optional { category, note, mood_before, mood_after } (strings), sent with it,
//     page: optional path of the page it was made on ("/articles/<slug>"), sent as `next`,
//     day: optional "yesterday" ("I did one yesterday": the server dates it to that day),
//     refused: absent while waiting, else { status, reason, at } once the server refused it }
// Other scripts read it through outbox.all() and waiting(); both stay as they are.
// A refused tap is neither sent again by itself nor dropped: it waits for the reader to choose
// "Try again" or "Remove it" (web/static/outbox-notice.js shows the choice).
//
// This one file runs in two places: every page (from base.html, with tap.js for the tap and
// the counter) and the service worker (importScripts in sw.js, for Background Sync tag
// "lifted-outbox"). Both call the same replay(), under one Web Lock, so the two never send at
// the same time and treat every answer alike. The server makes a repeated id harmless anyway
// (the same id is the same act).
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
  const waiting = (items) => items.filter((item) => !item.refused);
  const refusedOnes = (items) => items.filter((item) => item.refused);

  // "Try again": the tap waits like a new one, and the next replay sends it once.
  async function release(id) {
    const item = (await outbox.all()).find((entry) => entry.id === id);
    if (!item) return;
    delete item.refused;
    await outbox.add(item);
  }

  // Undo of a tap still on this phone: removes it unless a replay has sent it meanwhile.
  // Under the replay's lock, so the answer is final: true if it never reaches the server.
  function take(id) {
    return withLock(async () => {
      const item = (await outbox.all()).find((entry) => entry.id === id);
      if (item) await outbox.remove(id);
      return Boolean(item);
    });
  }

  // Details added to a tap still on this phone travel with it; false once it was sent.
  function amend(id, details) {
    return withLock(async () => {
      const item = (await outbox.all()).find((entry) => entry.id === id);
      if (item) await outbox.add({ ...item, details });
      return Boolean(item);
    });
  }

  // ---- Sending ------------------------------------------------------------------------

  let token = null;

  function pageToken() {
    if (!global.document || !document.body) return null;
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["x-csrftoken"] || null;
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
      document.body.setAttribute("data-hx-headers", JSON.stringify({ "x-csrftoken": token }));
      document.querySelectorAll("input[name=_csrf_token]").forEach((input) => { input.value = token; });
    }
    return token;
  }

  function send(item, csrf) {
    const body = new URLSearchParams({ id: item.id, occurred_at: item.occurred_at });
    if (item.timezone) body.set("timezone", item.timezone);
    Object.entries(item.details || {}).forEach(([name, value]) => { if (value) body.set(name, value); });
    if (item.page) body.set("next", item.page);
    if (item.day) body.set("day", item.day);
    return fetch(TAP_URL, {
      method: "POST",
      body,
      credentials: "same-origin",
      cache: "no-store",
      // hx-request asks for the tap area's fragment (count and confirmation), not a redirect.
      // Accept JSON so a refusal's reason comes as {"error": "..."}: the service worker has
      // no DOMParser to read it out of an HTML error page. Answers to a tap stay HTML.
      headers: { "x-csrftoken": csrf, "hx-request": "true", accept: "application/json" },
    });
  }

  // A POST from a page about a tap the server already has (its Undo, its details), with the
  // CSRF token, a fresh one if the page's is refused. hx-request asks for the tap area's part.
  async function post(url, fields, headers = {}) {
    const attempt = (csrf) => fetch(url, {
      method: "POST",
      body: new URLSearchParams(fields),
      credentials: "same-origin",
      cache: "no-store",
      headers: { "x-csrftoken": csrf, "hx-request": "true", ...headers },
    });
    const response = await attempt(token || pageToken() || (await freshToken()));
    return response.status === 403 ? attempt(await freshToken()) : response;
  }

  // What an answer means for the tap waiting in the outbox:
  //   "done"    2xx: stored. 409/422 with the route's Lifted-Outcome header: the id is someone
  //             else's, or the tap is kept aside on the server for review. The tap may leave.
  //   "later"   5xx, 429, 401, 403 (after a fresh token), 408: the server can't take it now.
  //   "refused" any other 4xx (400 bad input, 413 too large, ...): the same tap sent again
  //             gets the same answer, so it waits for the reader instead of being retried.
  function verdict(response) {
    const status = response.status;
    if (status >= 200 && status < 300) return "done";
    if ((status === 409 || status === 422) && response.headers.get("lifted-outcome")) return "done";
    if (status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status)) return "refused";
    return "later";
  }

  // The server's reason in its own plain words, or a gentle stand-in.
  async function reason(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === "string" && body.error) return body.error;
    } catch (error) {
      // Not JSON (a proxy's page, say): fall through.
    }
    return `The server couldn't accept it (code ${response.status}).`;
  }

  // Sends every waiting tap, oldest first, until none waits or the server can't be reached.
  // Resolves to { results: [{id, status, html}], refused: [ids], left, stopped }; `left`
  // counts the taps still waiting to be sent, not the refused ones.
  async function replayOnce() {
    const results = [];
    const refused = [];
    const tried = new Set();
    let csrf = token || pageToken();
    let refreshed = false;
    let stopped = false;
    for (;;) {
      // Taps made while this runs are picked up too, by reading the store again.
      const items = waiting(await outbox.all())
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
        const answer = verdict(response);
        if (answer === "done") {
          const html = await response.text();
          await outbox.remove(item.id);
          results.push({ id: item.id, status: response.status, html });
        } else if (answer === "refused") {
          // Kept on the phone, marked, and the other taps still go.
          const why = await reason(response);
          await outbox.add({ ...item, refused: { status: response.status, reason: why, at: new Date().toISOString() } });
          refused.push(item.id);
        } else {
          stopped = true; // the server can't take it now; keep it
          break;
        }
      }
      if (stopped) break;
    }
    return { results, refused, left: waiting(await outbox.all()).length, stopped };
  }

  // One replay at a time across the pages and the service worker: a Web Lock where there is
  // one, else a chain in this context. A second caller waits, then finds little or nothing.
  // Undo and details of a waiting tap take the same lock, so none of them acts mid-send.
  let chain = Promise.resolve();
  function withLock(action) {
    if (global.navigator && navigator.locks) {
      return navigator.locks.request("lifted-outbox", () => action());
    }
    const run = chain.then(action, action);
    chain = run.catch(() => {});
    return run;
  }
  const replay = () => withLock(replayOnce);

  // ---- Trying again, from a page ----------------------------------------------------
  // While taps wait and a page is open, the page tries again by itself after a send that
  // failed: in 5 s, then doubling up to every 2 minutes, until none waits; a new tap starts
  // again from 5 s. Not every engine has Background Sync (Chromium's sends even after the page
  // is closed, so it is asked for too), and Firefox may fire no `online` when a connection
  // comes back. Pages only: a service worker's timers don't outlive its event.
  const RETRY_FIRST_MS = 5000;
  const RETRY_MOST_MS = 120000;
  let retryTimer = null;
  let retryDelay = RETRY_FIRST_MS;
  function keepTrying(outcome, again, fresh) {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (fresh || !outcome.left) retryDelay = RETRY_FIRST_MS;
    if (!outcome.left) return;
    retryTimer = setTimeout(again, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MOST_MS);
    if (global.navigator && navigator.serviceWorker) {
      navigator.serviceWorker.ready
        .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
        .catch(() => {});
    }
  }

  // The hour the reader's day ends at (server/days.py), from <body data-day-end>, kept for the
  // pages made for everyone (server/pagecache.py), which don't carry it; midnight where there
  // is no page (the service worker).
  function dayEnd() {
    const body = global.document?.body;
    const mine = body && !body.hasAttribute("data-content-only");
    try {
      if (mine) localStorage.setItem("lifted.dayEnd", body.dataset.dayEnd || "0");
      else if (body) return Number(localStorage.getItem("lifted.dayEnd")) || 0;
    } catch (error) { /* private mode: midnight */ }
    return mine ? Number(body.dataset.dayEnd) || 0 : 0;
  }
  if (global.document) global.document.addEventListener("DOMContentLoaded", dayEnd);

  // The reader's day of ``date`` in ``timezone``: before the day's end hour, the day before.
  function localDate(date, timezone, end = dayEnd()) {
    let year, month, day, hour;
    try {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: timezone || undefined, hourCycle: "h23",
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
      }).formatToParts(date);
      const get = (type) => Number(parts.find((p) => p.type === type).value);
      [year, month, day, hour] = [get("year"), get("month"), get("day"), get("hour")];
    } catch (error) {
      [year, month, day, hour] = [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours()];
    }
    const calendar = new Date(Date.UTC(year, month - 1, day - (hour < end ? 1 : 0)));
    return calendar.toISOString().slice(0, 10);
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

  // After a tap, ask the browser once to keep Lifted's storage (this outbox) when space runs
  // low. Chromium decides quietly; Firefox may ask the reader, so it is never asked again.
  const KEEP_ASKED = "lifted.storage-asked";
  function keep() {
    const storage = global.navigator && navigator.storage;
    if (!storage || !storage.persist || !storage.persisted) return;
    try {
      if (global.localStorage.getItem(KEEP_ASKED)) return;
      global.localStorage.setItem(KEEP_ASKED, "1");
    } catch (error) {
      return;
    }
    storage.persisted().then((kept) => kept || storage.persist()).catch(() => {});
  }

  global.LiftedOutbox = {
    DB_NAME, STORE, SYNC_TAG, outbox, waiting, refusedOnes, release, take, amend, replay, post,
    keepTrying, localDate, zone, newId, keep,
  };
})(self);
