// Leaving an account on this phone (signing out, deleting the account).
// Before: taps still waiting in the outbox are sent first, because the server's answer clears
// this phone's storage (Clear-Site-Data), outbox included. Offline, the reader is told, and
// nothing is sent: a sign-out can't reach the server then anyway.
// After: the page that follows asks the service worker to drop the private pages it kept, and
// forgets the reading marks, for browsers that ignore Clear-Site-Data.
"use strict";

(function () {
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-leaving]");
    if (!form || form.dataset.flushed || !self.LiftedOutbox) return;
    event.preventDefault();
    let left = 0;
    try {
      left = (await self.LiftedOutbox.replay()).left;
    } catch (error) {
      left = 0; // no IndexedDB here: nothing waits
    }
    const note = form.querySelector("[data-leaving-note]");
    if (left) {
      if (note) {
        note.textContent = `${left} act${left === 1 ? " is" : "s are"} still waiting on this phone. ` +
          "You seem to be offline: please try again when you're back online, so nothing is lost.";
      }
      return;
    }
    form.dataset.flushed = "1";
    if (form.requestSubmit) form.requestSubmit(event.submitter || undefined);
    else form.submit();
  });

  if (!document.querySelector("[data-forget-private]")) return;
  ["lifted.reads", "lifted.readsToSend"].forEach((key) => {
    try { localStorage.removeItem(key); } catch (error) { /* no storage: nothing kept */ }
  });
  if (self.LiftedOutbox) {
    // Whatever the previous reader left (taps refused and waiting for their choice) is theirs.
    self.LiftedOutbox.outbox.all()
      .then((items) => Promise.all(items.map((item) => self.LiftedOutbox.outbox.remove(item.id))))
      .catch(() => {});
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.ready
      .then((registration) => registration.active && registration.active.postMessage({ type: "forget-private" }))
      .catch(() => {});
  }
})();
