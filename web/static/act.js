// An act's details (its own page, and Today's form for a tap still waiting offline): the
// note's live counter ("120 of 500"). The field's maxlength enforces the limit and the server
// checks it again; this only shows where the reader is. Listens on the document, so a form
// added later (Today's, copied from its template) counts too.
"use strict";

(function () {
  let pause = null;

  function show(note) {
    const row = note.closest(".note-row");
    const count = row?.querySelector("[data-note-count]");
    if (!count) return;
    const max = Number(count.dataset.max) || 500;
    // Counted as the field counts for maxlength (UTF-16 units), so the two always agree.
    const used = note.value.length;
    count.textContent = `${used} of ${max}`;
    count.classList.toggle("over", used > max);
    return { row, used, max };
  }

  document.addEventListener("input", (event) => {
    if (!event.target.matches?.("[data-note]")) return;
    const shown = show(event.target);
    if (!shown) return;
    // Screen readers hear the count once typing pauses, not at every key.
    clearTimeout(pause);
    pause = setTimeout(() => {
      const spoken = shown.row.querySelector("[data-note-count-spoken]");
      if (spoken) spoken.textContent = `${shown.used} of ${shown.max} characters`;
    }, 1000);
  });
  // A form filled in before this script ran (Today's, with a note kept offline).
  document.addEventListener("lifted:details-shown", (event) => {
    event.target.querySelectorAll?.("[data-note]").forEach(show);
  });
  document.querySelectorAll("[data-note]").forEach(show);
})();
