// Lifted's tap on the page: instant feedback, the counter and the week, Undo and details for a
// tap still on this phone, the "waiting to sync" badge and its "saved" note, and when to replay
// the outbox (web/static/outbox.js, loaded before this file, holds the store and the one
// replay() the service worker shares). A tap area is [data-tap-area]: Today's card, or the
// "Try this today" box at an article's end; each holds a form and its status [data-tap-status].
"use strict";

(function () {
  const lifted = self.LiftedOutbox;
  if (!lifted) return;
  const { outbox, waiting, refusedOnes, replay, keepTrying, localDate, zone, newId } = lifted;
  const UNDO_MS = 10000;
  // A second tap this soon after the one before is nearly always a slip of the finger: it is
  // not counted silently but asked about ("Log another"), so a tap is never lost unseen either.
  const BURST_MS = 1000;
  const SAVED_MS = 6000;
  const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  const WAITING = "Saved on this phone. It will be sent when you're back online.";
  const REMOVED = "Removed. No harm done.";
  // Taps made on this page, and the tap area to show their server answer in.
  const recent = new Map();
  // Taps whose first sending is under way: when they go through, that is no news.
  const firstTry = new Set();
  let lastTap = -Infinity;
  let saved = { count: 0, text: "", until: 0 };

  // The same words as server/acts/status.py's count_text and WeekDay.label.
  function countText(count) {
    if (count === 0) return "Nothing logged yet today, and that's okay";
    return `${count} act${count === 1 ? "" : "s"} of kindness today`;
  }
  function dayLabel(index, count, isToday, future) {
    const name = DAYS[index] + (isToday ? ", today" : "");
    if (count) return `${name}: ${count} act${count === 1 ? "" : "s"}`;
    return `${name}: ${future ? "still ahead" : "none logged"}`;
  }

  // "YYYY-MM-DD" of the seven days, Monday first, of the week that holds `day`.
  function weekOf(day) {
    const noon = new Date(`${day}T12:00:00Z`);
    const monday = noon.getTime() - ((noon.getUTCDay() + 6) % 7) * 864e5;
    return DAYS.map((_, index) => new Date(monday + index * 864e5).toISOString().slice(0, 10));
  }

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  // Starts a CSS animation again (app.css runs none under prefers-reduced-motion).
  function replayAnimation(node, name) {
    if (!node) return;
    node.classList.remove(name);
    void node.offsetWidth; // a style flush, so the class coming back starts it afresh
    node.classList.add(name);
  }

  // The server's figures plus the taps still waiting on this phone. A page from the offline
  // cache may be from another day or week: then only the waiting taps count for the days it
  // did not know. Refused taps count nowhere; they are announced to outbox-notice.js instead.
  async function render() {
    let all = [];
    try {
      all = await outbox.all();
    } catch (error) {
      // No IndexedDB (some private modes): the server's figures are all there is.
    }
    document.dispatchEvent(new CustomEvent("lifted:outbox-refused", { detail: refusedOnes(all) }));
    const items = waiting(all);
    const byDay = {};
    items.forEach((item) => { byDay[item.local_date] = (byDay[item.local_date] || 0) + 1; });
    badge(items.length);
    const today = localDate(new Date(), zone());
    document.querySelectorAll("[data-tap-count]").forEach((counter) => {
      const base = counter.dataset.date === today ? Number(counter.dataset.count) || 0 : 0;
      const shown = base + (byDay[today] || 0);
      counter.dataset.shown = String(shown);
      counter.textContent = countText(shown);
    });
    paintWeek(today, byDay);
  }

  function paintWeek(today, byDay) {
    const week = document.querySelector("[data-week]");
    if (!week) return;
    const days = weekOf(today);
    let any = false;
    week.querySelectorAll("li").forEach((day, index) => {
      const date = days[index];
      if (day.dataset.date !== date) Object.assign(day.dataset, { date, count: "0" });
      const count = Number(day.dataset.count) + (byDay[date] || 0);
      day.classList.toggle("is-filled", count > 0);
      day.classList.toggle("is-today", date === today);
      day.lastElementChild.textContent = dayLabel(index, count, date === today, date > today);
      any = any || count > 0;
    });
    week.hidden = !any;
  }

  // The badge under the header: "2 waiting to sync", then for a few seconds once they reach
  // the server "Your 2 acts are saved." (a status line: it is read out, it takes no focus).
  function badge(count) {
    const node = document.querySelector("[data-outbox-badge]");
    if (!node) return;
    const done = !count && Date.now() < saved.until;
    node.classList.toggle("is-saved", done);
    node.textContent = count ? `${count} waiting to sync` : done ? saved.text : "";
  }

  // Taps that arrive in several replays at once (the page's and the service worker's
  // Background Sync may split them) are counted together while the word is on screen.
  function announceSaved(arrived) {
    const count = arrived + (Date.now() < saved.until ? saved.count : 0);
    saved = {
      count,
      text: count === 1 ? "Your act is saved." : `Your ${count} acts are saved.`,
      until: Date.now() + SAVED_MS,
    };
    setTimeout(render, SAVED_MS + 50);
  }

  function expireUndo(root) {
    root.querySelectorAll("[data-undo]:not([data-expires])").forEach((node) => {
      node.dataset.expires = "1";
      setTimeout(() => node.remove(), UNDO_MS);
    });
  }

  // Replaces a status's feedback (keeping its counter, and a pending "Log another" question)
  // with `content`: the server's answer, or lines written here.
  function place(status, content) {
    const counter = status.querySelector("[data-tap-count]");
    const next = content.querySelector("[data-tap-count]");
    const question = status.querySelector("[data-tap-again]");
    status.querySelectorAll(":scope > :not([data-tap-count], [data-tap-again])").forEach((node) => node.remove());
    if (counter && next) {
      // The same element stays, so its "count eases in" animation is not cut short.
      const { count, date, weekCounts = "" } = next.dataset;
      Object.assign(counter.dataset, { count, date, weekCounts });
      counter.textContent = next.textContent;
      next.remove();
    }
    // Staying put, the question keeps keyboard focus on its button.
    status.insertBefore(content, question);
    expireUndo(status);
  }

  function feedback(area, text, actions = []) {
    const status = area.querySelector("[data-tap-status]");
    if (!status) return;
    const content = document.createDocumentFragment();
    content.append(element("p", text, { class: "tap-confirmation", "data-tap-feedback": "" }));
    if (actions.length) {
      const row = element("div", "", { class: "tap-actions" });
      row.append(...actions);
      content.append(row);
    }
    place(status, content);
  }

  // The server's figures onto the week's dots: the whole week when the answer carries it (its
  // counts, Monday first, ride on the counter as data-week-counts), else the counter's day.
  // render() then adds the taps still waiting on this phone.
  function takeWeek(counter) {
    const days = weekOf(counter.dataset.date);
    const counts = (counter.dataset.weekCounts || "").split(",");
    document.querySelectorAll("[data-week] li").forEach((day, index) => {
      if (counts.length === 7) Object.assign(day.dataset, { date: days[index], count: counts[index] });
      else if (day.dataset.date === counter.dataset.date) day.dataset.count = counter.dataset.count;
    });
  }

  // A server answer (acts/_status.html) into the tap area it belongs to.
  function answer(area, html) {
    const fresh = element("template");
    fresh.innerHTML = html;
    const counter = fresh.content.querySelector("[data-tap-count]");
    if (counter) takeWeek(counter);
    if (area) {
      place(area.querySelector("[data-tap-status]"), fresh.content);
      return;
    }
    // An older tap's answer: only the new count (and any "kept aside" message), since its
    // confirmation would confuse.
    document.querySelectorAll("[data-tap-count]").forEach((old) => {
      if (counter) Object.assign(old.dataset, { count: counter.dataset.count, date: counter.dataset.date });
    });
    const error = fresh.content.querySelector(".tap-error");
    const status = document.querySelector("[data-tap-status]");
    if (error && status) place(status, error);
  }

  async function show(results) {
    if (results.length) {
      const last = results[results.length - 1];
      answer(recent.get(last.id), last.html);
      const news = results.filter((result) => !firstTry.has(result.id)).length;
      if (news) announceSaved(news);
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

  // Sends what waits; while some still waits, tries again by itself (outbox.js keepTrying).
  // `fresh`: a new tap, so the next try comes soon again.
  async function sync(fresh = false) {
    let outcome;
    try {
      outcome = await replay();
    } catch (error) {
      return null; // IndexedDB unavailable: nothing was waiting
    }
    await show(outcome.results);
    keepTrying(outcome, () => sync(), fresh);
    return outcome;
  }

  function onSubmit(event) {
    // A tap's Undo, in a tap area. (The history's Undo after a delete is a plain form: only
    // its 10 seconds are ours, in expireUndo.)
    const undo = event.target.closest("[data-tap-area] form[data-undo]");
    if (undo) {
      event.preventDefault();
      const area = undo.closest("[data-tap-area]");
      undone(area, undoOnServer(area, undo.action, undo.elements.next.value));
      return;
    }
    const form = event.target.closest("[data-outbox-form]");
    if (!form) return;
    event.preventDefault();
    const area = form.closest("[data-tap-area]");
    const quick = performance.now() - lastTap < BURST_MS;
    lastTap = performance.now();
    if (quick) askAgain(area, form);
    else logTap(form, area);
  }

  function askAgain(area, form) {
    const status = area.querySelector("[data-tap-status]");
    if (!status || status.querySelector("[data-tap-again]")) return;
    const question = element("div", "", { class: "tap-again", "data-tap-again": "" });
    const again = element("button", "Log another", { type: "button", class: "secondary" });
    again.addEventListener("click", () => {
      form.querySelector("button").focus(); // the pressed button goes with the question
      question.remove();
      lastTap = performance.now();
      logTap(form, area);
    });
    question.append(element("p", "Tapped twice? Counted once."), again);
    status.append(question);
    setTimeout(() => question.remove(), UNDO_MS);
  }

  async function logTap(form, area) {
    const now = new Date();
    const timezone = zone();
    const item = {
      id: newId(),
      occurred_at: now.toISOString(),
      timezone,
      local_date: localDate(now, timezone),
      queued_at: now.toISOString(),
    };
    // The article's box logs its idea's kind, and returns there without JavaScript.
    const kind = form.elements.category;
    if (kind) item.details = { category: kind.value };
    if (form.elements.next) item.page = form.elements.next.value;
    // Feedback first, before any storage or network: the counter moves within a frame.
    area.querySelector("[data-tap-again]")?.remove(); // a tap meant as one answers the question
    area.querySelectorAll("[data-tap-count]").forEach((counter) => {
      const shown = Number(counter.dataset.shown || counter.dataset.count || 0) + 1;
      counter.dataset.shown = String(shown);
      counter.textContent = countText(shown);
      replayAnimation(counter, "is-new");
    });
    replayAnimation(form.querySelector("button"), "is-bloom");
    if (navigator.vibrate) navigator.vibrate(12);
    // The day's first tap answers today's reminder: its badge goes (sw.js sets it).
    if (navigator.clearAppBadge) navigator.clearAppBadge().catch(() => {});
    try {
      await outbox.add(item);
    } catch (error) {
      // Without IndexedDB the plain form post still logs the tap (and keeps its id).
      form.elements.id.value = item.id;
      form.submit();
      return;
    }
    lifted.keep();
    recent.set(item.id, area);
    firstTry.add(item.id);
    await render();
    await sync(true);
    firstTry.delete(item.id);
    // Still unanswered (another replay may have sent it: then its answer is already shown).
    if (recent.has(item.id) && waiting(await outbox.all()).some((entry) => entry.id === item.id)) {
      const undo = element("button", "Undo", { type: "button", class: "secondary", "data-undo": "", "data-take": item.id });
      const details = element("a", "Add details", { class: "button quiet", href: `/acts/${item.id}`, "data-details-for": item.id });
      feedback(area, WAITING, [undo, details]);
    }
  }

  // Undo of a tap the server has: the same POST as the form without JavaScript, answered
  // with the tap area's part.
  async function undoOnServer(area, url, next) {
    try {
      const response = await lifted.post(url, { next });
      if (!response.ok) throw new Error(`undo: ${response.status}`);
      answer(area, await response.text());
      refreshOfflinePages();
    } catch (error) {
      feedback(area, "That didn't go through. Please check your connection and try again.");
    }
    await render();
  }

  // Undo of a tap still on this phone: it leaves the outbox and never reaches the server. If
  // it was sent in the meantime, the server removes it instead.
  async function takeBack(area, id) {
    if (await lifted.take(id)) {
      feedback(area, REMOVED);
      document.dispatchEvent(new CustomEvent("lifted:taken", { detail: { id } }));
      await render();
    } else {
      const next = area.querySelector("[data-outbox-form]").elements.next;
      await undoOnServer(area, `/acts/${id}/delete`, next ? next.value : "/");
    }
  }

  // The pressed Undo is gone with its feedback: keyboard focus goes back to the tap button.
  async function undone(area, action) {
    await action;
    if (!area.contains(document.activeElement)) area.querySelector("[data-outbox-form] button").focus();
  }

  document.addEventListener("click", async (event) => {
    const take = event.target.closest("[data-take]");
    if (take) {
      const area = take.closest("[data-tap-area]");
      undone(area, takeBack(area, take.dataset.take));
      return;
    }
    // Add details of a tap still on this phone: Today's own form for it (today.js), reached
    // from an article through Today; once sent, the act's page as for any act.
    const details = event.target.closest("[data-details-for]");
    if (!details) return;
    event.preventDefault();
    const id = details.dataset.detailsFor;
    const still = waiting(await outbox.all()).some((item) => item.id === id);
    if (!still) location.href = details.href;
    else if (document.getElementById("details-form")) {
      document.dispatchEvent(new CustomEvent("lifted:details", { detail: { id } }));
    } else location.href = `/?details=${id}#log`;
  });

  // For outbox-notice.js (after "Try again" or "Remove it") and today.js.
  Object.assign(lifted, { sync, render, feedback, countText });

  document.addEventListener("submit", onSubmit);
  window.addEventListener("online", () => sync());
  // After any request that went through, the connection is back: send what waits.
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) sync();
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    expireUndo(event.detail.target);
    render();
  });
  // Back to the page (a phone woken, an app switched back, the page restored from the
  // back-forward cache): send what waits, and a page left on Today overnight counts a new day.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") render().then(() => sync());
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) render().then(() => sync());
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox-synced") show(event.data.results || []);
    });
  }
  function start() {
    expireUndo(document);
    render().then(() => sync());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
