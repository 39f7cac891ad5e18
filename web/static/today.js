// Today only: the greeting from the device's clock, "Another idea" without the network, the
// details form of a tap still waiting on this phone and a kindness day's aim. Loaded after
// outbox.js and tap.js.
"use strict";

(function () {
  const lifted = self.LiftedOutbox;

  // The same words as server/pages/greeting.py. The page may be a copy kept offline since
  // yesterday, or rendered in UTC for a reader the server has not seen tap yet.
  function greet() {
    const head = document.querySelector("[data-greeting]");
    if (!head) return;
    const now = new Date();
    const hour = now.getHours();
    head.querySelector("[data-greeting-words]").textContent =
      hour >= 5 && hour < 12 ? "Good morning" : hour >= 12 && hour < 18 ? "Good afternoon" : "Good evening";
    const date = head.querySelector("[data-greeting-date]");
    // The reader's day, which may end after midnight (server/days.py), at noon to name it.
    const iso = lifted ? lifted.localDate(now, lifted.zone()) : null;
    const day = iso ? new Date(`${iso}T12:00:00`) : now;
    const part = (options) => day.toLocaleDateString("en-GB", options);
    date.textContent = `${part({ weekday: "long" })} ${day.getDate()} ${part({ month: "long" })}`;
    if (iso) date.dateTime = iso;
  }

  // "Another idea": the next card of the deck the page carries (acts/_idea.html). Without
  // JavaScript the link loads the page with that card.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#another-idea");
    const card = document.getElementById("idea-card");
    const deck = document.getElementById("idea-deck");
    if (!link || !card || !deck) return;
    event.preventDefault();
    const ideas = deck.content.children;
    const index = (Number(card.dataset.ideaIndex) + 1) % ideas.length;
    card.dataset.ideaIndex = String(index);
    card.querySelector(".idea-text").textContent = ideas[index].textContent;
    const reason = card.querySelector(".idea-reason");
    if (reason) reason.remove(); // it was about the day's own card
    card.querySelector(".idea-why").href = `/articles/${ideas[index].dataset.article}`;
    link.href = `/?idea=${(index + 1) % ideas.length}#idea-card`;
  });

  // ---- Details of a tap still on this phone ------------------------------------------------
  // The form (acts/_details_form.html) writes into the tap's outbox entry, so the details go
  // with the tap. If the tap reached the server while the form was open, they go to the act.
  const FIELDS = ["category", "note", "mood_before", "mood_after"];

  function area() {
    return document.getElementById("log");
  }

  // While the form is open, its "Add details" link steps aside.
  function close() {
    area()?.querySelector("[data-details-form]")?.remove();
    area()?.querySelectorAll("[data-details-for]").forEach((link) => { link.hidden = false; });
  }

  // The faces' styles and the note's counter, fetched when the form first opens (kept
  // offline by the service worker); the form waits for the styles, so it never shows bare.
  let dressed = null;
  function dress(template) {
    dressed ||= new Promise((resolve) => {
      const styles = Object.assign(document.createElement("link"), { rel: "stylesheet", href: template.dataset.styles });
      styles.onload = styles.onerror = resolve;
      document.head.append(styles, Object.assign(document.createElement("script"), { src: template.dataset.script }));
    });
    return dressed;
  }

  async function open(id) {
    const template = document.getElementById("details-form");
    if (!lifted || !template) return;
    const item = lifted.waiting(await lifted.outbox.all()).find((entry) => entry.id === id);
    if (!item) return;
    await dress(template);
    close();
    const form = template.content.firstElementChild.cloneNode(true);
    form.dataset.detailsId = id;
    const details = item.details || {};
    form.elements.category.value = details.category || "";
    form.elements.note.value = details.note || "";
    ["mood_before", "mood_after"].forEach((name) => {
      const choice = form.querySelector(`input[name=${name}][value="${details[name] || ""}"]`);
      if (choice) choice.checked = true;
    });
    area().querySelector(".tap-more").before(form);
    form.dispatchEvent(new CustomEvent("lifted:details-shown", { bubbles: true }));
    area().querySelectorAll("[data-details-for]").forEach((link) => { link.hidden = true; });
    form.querySelector(".details-title").focus();
  }

  async function save(form) {
    const id = form.dataset.detailsId;
    const data = new FormData(form);
    const details = Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) || "").trim()]));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    let text = "Details added. They'll be sent with your act.";
    try {
      if (!(await lifted.amend(id, details))) {
        // Sent meanwhile: saved on the act itself, as its own page would.
        const response = await lifted.post(`/acts/${id}`, details);
        if (!response.ok) throw new Error(`details: ${response.status}`);
        text = "Details added to your act.";
      }
    } catch (error) {
      button.disabled = false;
      form.querySelector(".details-error")?.remove();
      button.parentNode.before(Object.assign(document.createElement("p"), {
        className: "details-error error",
        textContent: "Those details couldn't be saved just now. Please try again.",
      }));
      return;
    }
    close();
    lifted.feedback(area(), text);
    area().querySelector("[data-outbox-form] button").focus();
  }

  document.addEventListener("lifted:details", (event) => open(event.detail.id));
  document.addEventListener("lifted:taken", close);
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-details-form]");
    if (!form) return;
    event.preventDefault();
    save(form);
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-details-close]")) return;
    close();
    area()?.querySelector("[data-details-for]")?.focus();
  });

  // From an article's "Add details" (/?details=<id>): its tap's form, if it still waits;
  // else the act's own page, once it is on the server.
  async function fromLink() {
    const id = new URLSearchParams(location.search).get("details");
    if (!id || !lifted) return;
    history.replaceState(null, "", "/#log");
    const still = lifted.waiting(await lifted.outbox.all()).some((item) => item.id === id);
    if (still) open(id);
    else if (navigator.onLine) location.replace(`/acts/${encodeURIComponent(id)}`);
  }

  // ---- "I did one yesterday" (acts/_home.html) ----------------------------------------------
  // Through the outbox like a tap, so it is kept offline too; the server dates it to the last
  // minute of the reader's yesterday (day=yesterday). Today's count stays; the week shows it.
  const YESTERDAY = "Added to yesterday. Thank you for remembering it."; // server/acts/home.py

  function yesterdayOf(now, timezone) {
    const day = new Date(`${lifted.localDate(now, timezone)}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    return day.toISOString().slice(0, 10);
  }

  async function addYesterday(form) {
    const now = new Date();
    const timezone = lifted.zone();
    const item = {
      id: lifted.newId(), occurred_at: now.toISOString(), timezone,
      local_date: yesterdayOf(now, timezone), queued_at: now.toISOString(), day: "yesterday",
    };
    try {
      await lifted.outbox.add(item);
    } catch (error) {
      form.elements.id.value = item.id; // no IndexedDB: the plain form post, with this id
      form.submit();
      return;
    }
    lifted.keep();
    const undo = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Undo" });
    undo.addEventListener("click", async () => {
      // Still on this phone: it never leaves. Sent already: the server removes it.
      let removed = await lifted.take(item.id);
      if (!removed) {
        const response = await lifted.post(`/acts/${item.id}/delete`, { next: "/" }).catch(() => null);
        removed = Boolean(response && response.ok);
      }
      lifted.feedback(area(), removed ? "Removed. No harm done." : "That didn't go through. Please check your connection and try again.", removed ? [] : [undo]);
      await lifted.render();
      if (removed) await lifted.sync(true); // the week's dots from the server again
    });
    lifted.feedback(area(), YESTERDAY, [undo]);
    await lifted.render(); // the week shows it, waiting
    await lifted.sync(true);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("[data-yesterday-form]");
    if (!form || !lifted) return;
    event.preventDefault();
    // One act per press: a second press while this one is being kept is not another act.
    const button = form.querySelector("button");
    if (button.disabled) return;
    button.disabled = true;
    try {
      await addYesterday(form);
    } finally {
      setTimeout(() => { button.disabled = false; }, 1000);
    }
  });

  // ---- A kindness day's aim (kindness/_today.html), in step with each tap ------------------
  // The same words as server/kindness/routes.py's aim_words. The count is the tap area's own
  // (tap.js keeps it, with the taps still waiting on this phone) as it changes.
  function aimWords(count, aim) {
    if (count <= 0) return `Your gentle aim today: ${aim} acts of kindness, whenever they fit.`;
    if (count < aim) return `${count} of ${aim} so far.`;
    return `${count} today: you reached your aim of ${aim}. Anything more is a bonus.`;
  }

  function followAim() {
    const card = document.querySelector("[data-aim]");
    if (!card || !area()) return;
    const aim = Number(card.dataset.aim);
    const show = () => {
      const counter = area().querySelector("[data-tap-count]");
      if (!counter || counter.dataset.shown === undefined) return;
      const count = Number(counter.dataset.shown) || 0;
      card.querySelector("[data-aim-words]").textContent = aimWords(count, aim);
      card.querySelectorAll(".aim-dots li").forEach((dot, index) => dot.classList.toggle("is-filled", index < count));
    };
    new MutationObserver(show).observe(area(), { subtree: true, childList: true, attributes: true, attributeFilter: ["data-shown"] });
    show();
  }

  function start() {
    greet();
    followAim();
    fromLink().catch(() => {});
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") greet();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
