// The history's taps still waiting on this phone. The page (from the network, or the service
// worker's copy when offline) lists what reached the server; the taps in the outbox
// (web/static/outbox.js) are added to the first page, in their day, marked "Waiting to sync".
// Once one is sent its row opens its page like any other; a refused one leaves the list
// (outbox-notice.js asks the reader about it).
"use strict";

(function () {
  const days = document.querySelector("[data-act-days]");
  if (!days || !("firstPage" in days.dataset) || !self.LiftedOutbox) return;
  const { outbox, waiting } = self.LiftedOutbox;
  const unsorted = days.dataset.unsorted || "Act of kindness";

  const actsText = (n) => `${n} act${n === 1 ? "" : "s"}`;

  function parts(moment, timezone, options) {
    let format;
    try {
      format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: timezone || undefined });
    } catch (error) {
      format = new Intl.DateTimeFormat("en-GB", options); // an unknown zone: the phone's own
    }
    const found = {};
    format.formatToParts(moment).forEach((part) => { found[part.type] = part.value; });
    return found;
  }

  // The same words as server/acts/history.py's day_label: "Tuesday 1 December".
  function dayLabel(item) {
    const day = parts(new Date(item.occurred_at), item.timezone, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    const now = parts(new Date(), item.timezone, { year: "numeric" });
    const label = `${day.weekday} ${day.day} ${day.month}`;
    return day.year === now.year ? label : `${label} ${day.year}`;
  }

  // In the reader's own 12- or 24-hour habit, as app.js shows the server's times.
  function timeOf(item) {
    const moment = new Date(item.occurred_at);
    try {
      return window.LiftedClock.formatter(item.timezone || undefined).format(moment);
    } catch (error) {
      return window.LiftedClock.formatter(undefined).format(moment); // an unknown zone
    }
  }

  function span(className, text) {
    const element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function setCount(section, change) {
    const count = section.querySelector(".day-count");
    const total = Math.max(0, Number(count.dataset.count || 0) + change);
    count.dataset.count = String(total);
    count.textContent = actsText(total);
  }

  function daySection(item) {
    const found = days.querySelector(`[data-day="${item.local_date}"]`);
    if (found) return found;
    const section = document.createElement("section");
    section.className = "act-day";
    section.dataset.day = item.local_date;
    section.setAttribute("aria-labelledby", `day-${item.local_date}`);
    const heading = document.createElement("h2");
    heading.className = "day-heading";
    heading.id = `day-${item.local_date}`;
    const count = span("day-count", actsText(0));
    count.dataset.count = "0";
    heading.append(span("", dayLabel(item)), " · ", count);
    const list = document.createElement("ul");
    list.className = "list-rows act-list";
    section.append(heading, list);
    // Newest day first, as the server orders them.
    const older = [...days.querySelectorAll("[data-day]")].find((s) => s.dataset.day < item.local_date);
    days.insertBefore(section, older || null);
    return section;
  }

  function row(item) {
    const li = document.createElement("li");
    li.className = "act-waiting";
    li.dataset.at = item.occurred_at;
    li.dataset.waiting = item.id;
    const box = document.createElement("div");
    box.className = "row act-item";
    const line = span("act-line", "");
    line.append(span("act-kind", unsorted), " ", span("act-time", timeOf(item)));
    box.append(line, span("row-detail waiting-mark", "Waiting to sync"));
    li.append(box);
    return li;
  }

  function place(item) {
    if (document.getElementById(`act-${item.id}`) || days.querySelector(`[data-waiting="${item.id}"]`)) return;
    const section = daySection(item);
    const list = section.querySelector("ul");
    const when = Date.parse(item.occurred_at);
    const older = [...list.children].find((li) => Date.parse(li.dataset.at) < when);
    list.insertBefore(row(item), older || null);
    setCount(section, 1);
  }

  // A tap that left the outbox was sent: its row becomes a link to its page, like the rest.
  function sent(li) {
    const link = document.createElement("a");
    link.className = "row act-item";
    link.href = (days.dataset.actHref || "/acts/ACT").replace("ACT", li.dataset.waiting);
    link.append(li.querySelector(".act-line"));
    li.id = `act-${li.dataset.waiting}`;
    li.className = "";
    delete li.dataset.waiting;
    li.replaceChildren(link);
  }

  async function render() {
    let all;
    try {
      all = await outbox.all();
    } catch (error) {
      return; // no IndexedDB (some private modes): nothing can be waiting
    }
    const waits = new Set(waiting(all).map((item) => item.id));
    const kept = new Set(all.map((item) => item.id));
    days.querySelectorAll("[data-waiting]").forEach((li) => {
      if (waits.has(li.dataset.waiting)) return;
      if (kept.has(li.dataset.waiting)) {
        const section = li.closest("[data-day]");
        li.remove(); // refused: the notice at the top of the page asks what to do
        setCount(section, -1);
        if (!section.querySelector("li")) section.remove();
      } else {
        sent(li);
      }
    });
    waiting(all).forEach(place);
    const empty = document.querySelector("[data-acts-empty]");
    if (empty) empty.hidden = days.querySelector("li") !== null;
  }

  // tap.js announces every look at the outbox (after each sync) with this event.
  document.addEventListener("lifted:outbox-refused", render);
  window.addEventListener("online", render);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
