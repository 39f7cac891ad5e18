// Lifted's notice for taps the server refused (see web/static/outbox.js). Such a tap stays on
// this phone, is neither counted nor sent again by itself, and waits here for the reader's
// choice: "Try again" (sent once more) or "Remove it". Loaded before tap.js, whose render()
// announces the refused taps with the event "lifted:outbox-refused".
"use strict";

(function () {
  const lifted = self.LiftedOutbox;
  const box = document.querySelector("[data-outbox-attention]");
  if (!lifted || !box) return;
  let retried = null; // the tap last sent again from here, to say so if it is refused again

  // When the tap was made; its queued time if its own time is what the server couldn't read.
  function when(item) {
    const made = new Date(item.occurred_at);
    const moment = Number.isNaN(made.getTime()) ? new Date(item.queued_at) : made;
    try {
      return new Intl.DateTimeFormat(undefined, {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(moment);
    } catch (error) {
      return "earlier";
    }
  }

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  let painted = "";
  function paint(refused) {
    // tap.js announces on every render; the live region speaks only when something changed.
    const key = JSON.stringify([retried, refused.map((item) => [item.id, item.refused.at])]);
    if (key === painted) return;
    painted = key;
    box.replaceChildren();
    box.hidden = !refused.length;
    if (!refused.length) return;
    const many = refused.length > 1;
    box.append(
      element("p", `${refused.length} tap${many ? "s" : ""} couldn't be saved`, { class: "outbox-attention-title", tabindex: "-1" }),
      element("p", `${many ? "They're" : "It's"} kept on this phone until you choose what to do.`, { class: "muted" })
    );
    const list = element("ul", "", { class: "outbox-attention-list" });
    refused
      .slice()
      .sort((a, b) => (a.queued_at < b.queued_at ? -1 : 1))
      .forEach((item) => {
        const entry = element("li", "", { "data-outbox-refused": item.id });
        const about = `outbox-refused-${item.id}`;
        entry.append(element("p", `Your tap from ${when(item)}: ${item.refused.reason}`, { id: about }));
        if (item.id === retried) entry.append(element("p", "We tried once more; it still couldn't be saved.", { class: "muted" }));
        const actions = element("div", "", { class: "outbox-attention-actions" });
        actions.append(
          element("button", "Try again", { type: "button", "data-outbox-retry": item.id, "aria-describedby": about }),
          element("button", "Remove it", { type: "button", class: "secondary", "data-outbox-remove": item.id, "aria-describedby": about })
        );
        entry.append(actions);
        list.append(entry);
      });
    box.append(list);
  }

  document.addEventListener("lifted:outbox-refused", (event) => paint(event.detail || []));

  box.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-outbox-retry], button[data-outbox-remove]");
    if (!button) return;
    box.querySelectorAll("button").forEach((other) => { other.disabled = true; });
    try {
      if (button.dataset.outboxRetry) {
        retried = button.dataset.outboxRetry;
        await lifted.release(retried);
        await lifted.sync(true); // sends it once, like a fresh tap; tap.js then repaints this box
      } else {
        await lifted.outbox.remove(button.dataset.outboxRemove);
        await lifted.render();
      }
    } catch (error) {
      // IndexedDB went away: the tap stays as it was, and the buttons come back below.
    } finally {
      box.querySelectorAll("button").forEach((other) => { other.disabled = false; });
    }
    // The pressed button is gone with the repaint: keep keyboard focus near where it was.
    if (!box.contains(button)) {
      const next = box.hidden ? document.getElementById("main") : box.querySelector(".outbox-attention-title");
      if (next) next.focus({ preventScroll: true });
    }
  });
})();
