// Reminders on this device. Subscribes to Web Push only when the reader presses the button (a
// user gesture, which iOS requires). On every load it re-checks the browser's subscription and
// tells the server when it changed. URLs and the server's public key come from data-*
// attributes. (The form's time zone list has its own zones.js.)
"use strict";

(function reminders() {
  const box = document.querySelector("[data-push]");
  if (!box || !box.dataset.vapidKey) return;
  const STORE = "lifted.push-subscription";
  const url = box.dataset.subscriptionUrl;
  const quiet = box.hasAttribute("data-push-quiet");
  const status = box.querySelector("[data-push-status]");
  const enable = box.querySelector("[data-push-enable]");
  const disable = box.querySelector("[data-push-disable]");
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  function say(text) {
    if (status) status.textContent = text;
  }

  function show(button, visible) {
    if (button) button.hidden = !visible;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers"))["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  function keyBytes(text) {
    const base64 = (text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  function sameKey(subscription) {
    const current = subscription.options && subscription.options.applicationServerKey;
    if (!current) return true;
    const a = new Uint8Array(current);
    const b = keyBytes(box.dataset.vapidKey);
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  async function send(method, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrftoken": csrfToken() },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      const error = new Error(data.error || "Lifted couldn't save it just now. Please try again in a moment.");
      error.plain = true; // the server's own sentence, written for readers
      error.resubscribe = data.resubscribe === true;
      throw error;
    }
  }

  // Posts the subscription. When the server keeps it for another sign-in on this browser, a
  // fresh subscription (a new endpoint) becomes this account's instead, once.
  // ``replaces``: this browser's earlier endpoint, which the server then forgets.
  async function post(registration, subscription, renewed, replaces) {
    const json = subscription.toJSON();
    try {
      await send("POST", replaces && replaces !== json.endpoint ? { ...json, replaces } : json);
    } catch (error) {
      if (!error.resubscribe || renewed) throw error;
      await subscription.unsubscribe();
      return subscribe(registration, true);
    }
    localStorage.setItem(STORE, JSON.stringify(json));
    return subscription;
  }

  async function subscribe(registration, renewed, replaces) {
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(box.dataset.vapidKey),
    });
    return post(registration, subscription, renewed, replaces);
  }

  // What the server does with this endpoint: "live", "gone", "elsewhere", "absent" or
  // "unknown" (server/reminders/service.py device_state). Offline or unsure: "unknown".
  async function stateOf(endpoint) {
    const response = await fetch(`${url}/check`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrftoken": csrfToken() },
      body: JSON.stringify({ endpoint }),
    }).catch(() => null);
    if (!response || !response.ok) return "unknown";
    return (await response.json().catch(() => ({}))).state || "unknown";
  }

  function storedEndpoint() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "{}").endpoint || "";
    } catch (error) {
      return "";
    }
  }

  // On every start: the browser may renew or drop a subscription, the server's key may change
  // (vapid --rotate) and the server may have stopped sending to it (gone): re-post or
  // re-subscribe so reminders keep arriving without the reader doing anything.
  async function recheck() {
    if (Notification.permission !== "granted") return null;
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    const earlier = (subscription && subscription.endpoint) || storedEndpoint();
    if (subscription && !sameKey(subscription)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    const known = localStorage.getItem(STORE);
    if (!subscription) return known ? subscribe(registration, false, earlier) : null;
    if (JSON.stringify(subscription.toJSON()) !== known) {
      return post(registration, subscription, false, storedEndpoint());
    }
    const state = await stateOf(subscription.endpoint);
    if (state === "gone" || state === "elsewhere") {
      // The push service ended this one (404/410), or it is another reader's: a new one.
      await subscription.unsubscribe();
      return subscribe(registration, false, earlier);
    }
    if (state === "absent") {
      // The reader removed this device on the reminders page: it stays off.
      await subscription.unsubscribe();
      localStorage.removeItem(STORE);
      return null;
    }
    return subscription;
  }

  // One check at a time across this browser's pages: two would end each other's subscription.
  function recheckAlone() {
    return navigator.locks ? navigator.locks.request("lifted-push", recheck) : recheck();
  }

  function explainUnsupported() {
    const apple = /iPhone|iPad|iPod/.test(navigator.userAgent);
    const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
    say(apple && !standalone
      ? "To get notifications on iPhone or iPad, add Lifted to your Home Screen first, then open it from there."
      : "This browser can't show notifications from Lifted. A gentle card appears on Today at your reminder time instead.");
  }

  function showState(subscription) {
    if (subscription) {
      say("Notifications are on for this device.");
    } else if (Notification.permission === "denied") {
      say("Notifications are blocked for Lifted in this browser's settings. That's okay: a gentle card appears on Today at your reminder time.");
    } else {
      say("");
    }
    show(enable, !subscription && Notification.permission !== "denied");
    show(disable, !!subscription);
  }

  // A browser or push service that never answers must not leave "Turning on…" forever.
  const PATIENCE_MS = 20000;
  function within(promise) {
    const late = new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error("This browser's push service didn't answer in time.")), PATIENCE_MS);
    });
    return Promise.race([promise, late]);
  }

  function plainly(error) {
    // The browser's own messages are for developers ("Registration failed - push service error").
    const said = error.plain || /didn't answer/.test(error.message) ? `${error.message} ` : "";
    return `Notifications could not be turned on. ${said}Please try again in a moment; the calendar link below works too.`;
  }

  async function turnOn() {
    enable.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        showState(null);
        if (permission === "default") say("No notifications for now. You can turn them on whenever you like.");
        return;
      }
      say("Turning on notifications…");
      await within(navigator.serviceWorker.ready.then((registration) => subscribe(registration)));
      window.location.assign(window.location.pathname + "?device=on");
    } catch (error) {
      say(plainly(error));
    } finally {
      enable.disabled = false;
    }
  }

  async function turnOff() {
    disable.disabled = true;
    try {
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await send("DELETE", { endpoint: subscription.endpoint }).catch(() => {});
        await subscription.unsubscribe();
      }
      localStorage.removeItem(STORE);
      window.location.assign(window.location.pathname + "?device=off");
    } catch (error) {
      say(`Notifications could not be turned off: ${error.message}`);
      disable.disabled = false;
    }
  }

  if (!supported) {
    if (!quiet) explainUnsupported();
    return;
  }
  recheckAlone()
    .catch(() => null)
    .then((subscription) => {
      if (quiet) return;
      showState(subscription);
      if (enable) enable.addEventListener("click", turnOn);
      if (disable) disable.addEventListener("click", turnOff);
    });
})();
