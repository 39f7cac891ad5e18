// An act's page: the note's live counter ("120 of 500"). The field's maxlength enforces the
// limit and the server checks it again; this only shows where the reader is.
"use strict";

(function () {
  const note = document.querySelector("[data-note]");
  const count = document.querySelector("[data-note-count]");
  const spoken = document.querySelector("[data-note-count-spoken]");
  if (!note || !count) return;
  const max = Number(count.dataset.max) || 500;
  let pause = null;

  function show() {
    // Counted as the field counts for maxlength (UTF-16 units), so the two always agree.
    const used = note.value.length;
    count.textContent = `${used} of ${max}`;
    count.classList.toggle("over", used > max);
    // Screen readers hear the count once typing pauses, not at every key.
    clearTimeout(pause);
    pause = setTimeout(() => {
      if (spoken) spoken.textContent = `${used} of ${max} characters`;
    }, 1000);
  }

  note.addEventListener("input", show);
  count.textContent = `${note.value.length} of ${max}`;
  count.classList.toggle("over", note.value.length > max);
})();
