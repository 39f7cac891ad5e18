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
  // A page that opened mid-activation (app.js): claim() again takes it.
  if (event.data && event.data.type === "claim") event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // A supporter's shared page (/s/<token>) is never kept: its link and notes stay off this
  // phone, and a link turned off is gone offline too.
  if (url.pathname.startsWith("/s/")) return;
  // Only the assets the worker keeps: anything else (an icon only the browser itself asks
  // for, like apple-touch-icon) goes to the network as if there were no worker.
  if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  }
});

// Hashed assets never change under the same URL, so the cache is always right (whatever
// Accept-Encoding the asking request had: Firefox's icon loader differs from a page's). What
// is neither cached nor reachable is a plain 504, never a rejected respondWith, which
// Firefox reports as a failed worker.
const PRECACHED = new Set(self.LIFTED.precache.filter((path) => path.startsWith("/static/")));
async function cacheFirst(request) {
  try {
    const cached = await caches.match(request, { ignoreVary: true });
    return cached || (await fetch(request));
  } catch (error) {
    return new Response("", { status: 504, statusText: "Offline" });
  }
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

// ---- Reminders: push and notification clicks -------------------------------------------
// Every push must show a notification (iOS revokes subscriptions that stay silent), so a
// missing or unreadable payload still shows a generic, gentle one.
const REMINDER_URL = "/#log";
const DONE_ACTION = "done"; // server/reminders/texts.py DONE
const SNOOZE_ACTION = "snooze"; // server/reminders/texts.py SNOOZE
const SNOOZE_URL = "/reminders/snooze";
const ACTION_TITLES = { [DONE_ACTION]: "I did one", [SNOOZE_ACTION]: "Snooze 1 hour" };
const REMINDER_FALLBACK = {
  title: "A gentle nudge",
  body: "No pressure: is there someone you could brighten today?",
  url: REMINDER_URL,
  tag: "lifted-reminder",
};

// The server sends Declarative Web Push ({web_push: 8030, notification: {...}}), which Safari
// shows by itself; here (Chromium, Firefox) the same fields make the same notification.
// Older servers sent {title, body, url, tag}: both are read.
function reminderFromPush(data) {
  let payload = {};
  try {
    payload = (data && data.json()) || {};
  } catch (error) {
    payload = {};
  }
  const declared = payload && typeof payload.notification === "object" && payload.notification;
  const fields = declared || payload || {};
  const text = (value, fallback) => (typeof value === "string" && value ? value : fallback);
  return {
    title: text(fields.title, REMINDER_FALLBACK.title),
    body: text(fields.body, REMINDER_FALLBACK.body),
    url: text(declared ? fields.navigate : fields.url, REMINDER_URL),
    tag: text(fields.tag, REMINDER_FALLBACK.tag),
    badge: Number.isInteger(payload.app_badge) && payload.app_badge > 0,
    discreet: Boolean(fields.data && fields.data.discreet),
    // The actions the payload asks for, of those this worker knows (a test reminder has
    // none); an older server's payload always meant "I did one".
    actions: declared
      ? (Array.isArray(fields.actions) ? fields.actions : [])
          .map((item) => item && item.action)
          .filter((action) => ACTION_TITLES[action])
          .map((action) => ({ action, title: ACTION_TITLES[action] }))
      : [{ action: DONE_ACTION, title: ACTION_TITLES[DONE_ACTION] }],
  };
}

self.addEventListener("push", (event) => {
  const reminder = reminderFromPush(event.data);
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(reminder.title, {
        body: reminder.body,
        icon: "/static/icons/icon-192.png",
        badge: "/static/icons/shortcut-log-96.png",
        tag: reminder.tag, // a newer reminder replaces an older one still on screen
        data: { url: ourUrl(reminder.url), discreet: reminder.discreet },
        actions: reminder.actions, // shown where supported
      }),
      // Today's reminder is waiting: a badge of 1 (never a count), cleared by the day's tap.
      reminder.badge && self.navigator.setAppBadge ? self.navigator.setAppBadge(1).catch(() => {}) : null,
    ])
  );
});

self.addEventListener("notificationclick", (event) => {
  // An action's quiet answer takes the reminder's place (the same tag). Closing the reminder
  // first could land after the answer is shown (Chromium closes by tag) and take it away: a
  // snooze that failed at once, offline, then said nothing at all.
  const answered = [DONE_ACTION, SNOOZE_ACTION].includes(event.action);
  if (!answered || event.notification.tag !== REMINDER_FALLBACK.tag) event.notification.close();
  if (event.action === DONE_ACTION) {
    event.waitUntil(logFromNotification(Boolean(event.notification.data && event.notification.data.discreet)));
  } else if (event.action === SNOOZE_ACTION) {
    event.waitUntil(snoozeFromNotification());
  } else {
    event.waitUntil(openTapScreen(event.notification.data && event.notification.data.url));
  }
});

// "I did one": an act logged without opening the app, through the same outbox as a tap (its
// id written first, so it is sent once however often the connection drops), then a quiet
// word that it worked. Without a connection it waits like any tap and is sent later.
async function logFromNotification(discreet = false) {
  const outboxApi = self.LiftedOutbox;
  if (!outboxApi) return dismissAndOpen();
  const now = new Date();
  const timezone = outboxApi.zone();
  const id = outboxApi.newId();
  try {
    await outboxApi.outbox.add({
      id,
      occurred_at: now.toISOString(),
      timezone,
      local_date: outboxApi.localDate(now, timezone),
      queued_at: now.toISOString(),
    });
  } catch (error) {
    return dismissAndOpen(); // no storage here: the tap screen instead
  }
  // Kept: the reminder gives way at once to a quiet word in its place (the same tag), so its
  // button can't be pressed twice while the act is on its way; the word changes once sent.
  await quietAnswer("Saved", discreet ? "" : "On its way to Lifted.").catch(() => {});
  let sent = false;
  try {
    if (self.navigator.clearAppBadge) await self.navigator.clearAppBadge().catch(() => {});
    const outcome = await outboxApi.replay().catch(() => ({ results: [], refused: [], left: 1 }));
    // Sent by this replay or by an open page's (which may have held the lock): gone from the box.
    sent = !(await outboxApi.outbox.all()).some((item) => item.id === id);
    if (outcome.results.length || outcome.refused.length) {
      await broadcast({ type: "outbox-synced", results: outcome.results });
      await refreshPages(["/", "/acts", "/progress"]);
    }
    if (outcome.left && self.registration.sync) {
      await self.registration.sync.register(outboxApi.SYNC_TAG).catch(() => {});
    }
  } finally {
    // Whatever failed above, the act is in the box and the reader is told where it stands.
    // Discreet reminders get discreet answers: nothing an onlooker could read into.
    const [title, body] = discreet
      ? [sent ? "Done" : "Saved", sent ? "" : "It will reach Lifted when you're back online."]
      : sent
        ? ["Logged. Thank you.", "One more kindness in the world today."]
        : ["Saved on this phone", "Your act will reach Lifted when you're back online."];
    await quietAnswer(title, body);
  }
}

// "Snooze 1 hour": the server sends one more reminder in an hour (or says why not: quiet
// hours, reminders paused), and a quiet notification says which. It needs a connection: a
// snooze can't wait in a box the way a tap can, since only the server sends reminders.
async function snoozeFromNotification() {
  const offline = "No connection just now. Your next reminder comes as planned.";
  let said = { title: "Couldn't snooze", body: offline };
  try {
    const response = await self.LiftedOutbox.post(SNOOZE_URL, {}, { accept: "application/json" });
    const answer = response.ok ? await response.json() : null;
    if (answer && typeof answer.title === "string") {
      said = { title: answer.title, body: answer.body || "" };
    } else {
      said.body = "Lifted couldn't take the snooze just now. Your next reminder comes as planned.";
    }
  } catch (error) {
    // offline, or the server didn't answer: the first sentence
  }
  await quietAnswer(said.title, said.body);
}

// What an action did, said silently in place of the reminder (same tag); a tap opens Today.
function quietAnswer(title, body) {
  return self.registration.showNotification(title, {
    body,
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/shortcut-log-96.png",
    tag: REMINDER_FALLBACK.tag,
    silent: true,
    data: { url: REMINDER_URL },
  });
}

// A payload's link, only if it is our own page (a path, or an absolute URL on this origin).
function ourUrl(url) {
  try {
    const target = new URL(url, self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search + target.hash : REMINDER_URL;
  } catch (error) {
    return REMINDER_URL;
  }
}

// Focuses an open Lifted window and takes it to the tap screen, or opens one. Only our own
// origin's URLs are followed, whatever a payload says.
// "I did one" without a way to keep the tap: the reminder goes and the tap screen opens.
async function dismissAndOpen() {
  const opened = await openTapScreen(REMINDER_URL);
  const shown = await self.registration.getNotifications({ tag: REMINDER_FALLBACK.tag }).catch(() => []);
  shown.forEach((notification) => notification.close());
  return opened;
}

async function openTapScreen(url) {
  let target = new URL(url || REMINDER_URL, self.location.origin);
  if (target.origin !== self.location.origin) target = new URL(REMINDER_URL, self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) continue;
    try {
      await client.focus();
    } catch (error) {
      // Focusing needs a user activation; navigating below still brings the tap screen.
    }
    try {
      return await client.navigate(target.href);
    } catch (error) {
      // An uncontrolled window cannot be navigated from here; try the next or open one.
    }
  }
  return self.clients.openWindow(target.href);
}

// ---- Acts: the offline outbox ---------------------------------------------------------
// Taps made offline wait in IndexedDB: database "lifted", object store "outbox" (keyPath
// "id"). outbox.js, the same file the pages use, holds the store and the one replay(); it is
// imported from its hashed URL in the precache list, so a change to it updates this worker.
const OUTBOX_SCRIPT = self.LIFTED.precache.find((url) => /^\/static\/outbox\.[0-9a-f]+\.js$/.test(url));
if (OUTBOX_SCRIPT) importScripts(OUTBOX_SCRIPT);

// Background Sync (Chromium): sends waiting taps even when no Lifted page is open. Safari
// and Firefox have none; there the pages replay on `online` and on load.
self.addEventListener("sync", (event) => {
  if (!self.LiftedOutbox || event.tag !== self.LiftedOutbox.SYNC_TAG) return;
  event.waitUntil(
    self.LiftedOutbox.replay().then(async (outcome) => {
      // Open pages show the new count, and any tap the server refused (outbox-notice.js).
      if (outcome.results.length || outcome.refused.length) {
        await broadcast({ type: "outbox-synced", results: outcome.results });
      }
      if (outcome.results.length) await refreshPages(["/", "/acts", "/progress"]);
      // A rejection asks the browser to try this sync again later, with its own back-off.
      if (outcome.stopped) throw new Error("outbox: server not reachable yet");
    })
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "refresh-pages" && Array.isArray(event.data.urls)) {
    event.waitUntil(refreshPages(event.data.urls));
  }
  if (event.data && event.data.type === "forget-private") {
    event.waitUntil(forgetPrivatePages());
  }
});

// Pages that show a reader's own figures, acts, notes or account. After a sign-out or an
// account's deletion they are dropped from the offline copies (Clear-Site-Data does the same
// where the browser honours it), then fetched again as the phone is now: signed out.
const PRIVATE_PAGE = /^\/(?:$|acts(?:\/|$)|progress$|account(?:\/|$)|settings(?:\/|$))/;

async function forgetPrivatePages() {
  for (const key of await caches.keys()) {
    if (!key.startsWith("lifted-")) continue;
    const cache = await caches.open(key);
    for (const request of await cache.keys()) {
      if (PRIVATE_PAGE.test(new URL(request.url).pathname)) await cache.delete(request);
    }
  }
  await refreshPages(["/", "/acts", "/progress"]);
}

// After taps are saved, the offline copies of pages with figures are fetched again, so a
// page opened offline later shows the last known count rather than an older one.
async function refreshPages(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls
      .filter((url) => typeof url === "string" && url.startsWith("/") && !url.startsWith("//"))
      .map(async (url) => {
        try {
          const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
          if (response.ok && !response.redirected) await cache.put(url, response);
        } catch (error) {
          // Offline again: the older copy stays.
        }
      })
  );
}
