// Progress with taps the server hasn't seen yet: Today, This week, This month and All time add
// the taps still waiting in the outbox (web/static/outbox.js), marked "+2 waiting (to
// sync)", so a page opened offline from the service worker's cache agrees with the tap screen.
// With nothing waiting it changes nothing. Loaded only on /progress, after outbox.js.
// Also keeps the year grid's month labels whole as it scrolls.
"use strict";

// The year grid: a month label that the scroll box cuts at its edge ("ay" of "May") is hidden
// until it is whole again. Without script the box's fading edge softens it instead.
(function () {
  const scroller = document.querySelector(".heatmap-scroll");
  if (!scroller) return;
  const labels = scroller.querySelectorAll(".heatmap .chart-label");
  let queued = false;
  function tidy() {
    queued = false;
    const box = scroller.getBoundingClientRect();
    labels.forEach((label) => {
      const edge = label.getBoundingClientRect();
      label.classList.toggle("chart-label-cut", edge.left < box.left - 0.5 || edge.right > box.right + 0.5);
    });
  }
  function later() {
    if (!queued) requestAnimationFrame(tidy);
    queued = true;
  }
  scroller.addEventListener("scroll", later, { passive: true });
  window.addEventListener("resize", later);
  tidy();
})();

(function () {
  const lifted = self.LiftedOutbox;
  const tally = document.querySelector("[data-progress-tally]");
  const emptyNote = document.querySelector("[data-progress-empty-waiting]");
  if (!lifted || (!tally && !emptyNote)) return;
  const { outbox, waiting, localDate, zone } = lifted;
  const DAY_MS = 86400000;

  // Taps seen waiting since this page loaded: id -> their local date. One sent while the page
  // is open still counts here (unmarked), since the page's own figures were made before it.
  const seen = new Map();

  // Dates as "YYYY-MM-DD" compared by calendar day in UTC, so no clock change can shift one.
  const dayNumber = (iso) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
  // Weeks start on Monday, as on the server; day 0 (1 January 1970) was a Thursday.
  const weekOf = (iso) => Math.floor((dayNumber(iso) + 3) / 7);
  const periods = {
    day: (a, b) => a === b,
    week: (a, b) => weekOf(a) === weekOf(b),
    month: (a, b) => a.slice(0, 7) === b.slice(0, 7),
    all: () => true,
  };

  function mark(dd, count) {
    let note = dd.parentElement.querySelector(".tally-waiting");
    if (!count) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("dd");
      note.className = "tally-waiting";
      dd.parentElement.appendChild(note);
    }
    // "+2 waiting" fits a tile on one line; a screen reader hears "+2 waiting to sync".
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " to sync";
    note.replaceChildren(`+${count} waiting`, hidden);
  }

  function showTally(items, stillWaiting) {
    const pageDate = tally.dataset.date;
    const today = localDate(new Date(), zone());
    tally.querySelectorAll("dd[data-period]").forEach((dd) => {
      const same = periods[dd.dataset.period] || periods.all;
      // The page's figures are for its own date: a copy kept from another day or week no
      // longer holds this period's acts, so only the waiting taps count there.
      const base = same(pageDate, today) ? Number(dd.dataset.count) || 0 : 0;
      const inPeriod = items.filter((item) => item.local_date && item.local_date <= today && same(item.local_date, today));
      dd.textContent = String(base + inPeriod.length);
      mark(dd, inPeriod.filter((item) => stillWaiting.has(item.id)).length);
    });
  }

  function showEmpty(count) {
    emptyNote.hidden = !count;
    emptyNote.textContent = count
      ? `${count} act${count === 1 ? "" : "s"} waiting to sync. ${count === 1 ? "It" : "They"} will show up here once you're back online.`
      : "";
  }

  async function render() {
    let all;
    try {
      all = await outbox.all();
    } catch (error) {
      return; // no IndexedDB (some private modes): the server's figures are all there is
    }
    const stillWaiting = new Set(waiting(all).map((item) => item.id));
    waiting(all).forEach((item) => seen.set(item.id, item));
    // A tap the server refused counts nowhere (outbox-notice.js offers the choice).
    all.filter((item) => item.refused).forEach((item) => seen.delete(item.id));
    if (!seen.size) return; // nothing waiting, now or since the page loaded: change nothing
    const items = [...seen.values()];
    if (tally) showTally(items, stillWaiting);
    if (emptyNote) showEmpty(stillWaiting.size);
  }

  // tap.js announces every change of the outbox (a tap, a sync, a refusal) with this event.
  document.addEventListener("lifted:outbox-refused", () => render());
  window.addEventListener("online", () => render());
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
