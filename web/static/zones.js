// The reminder form's time zone list (web/templates/reminders/_form.html): a filter box that
// narrows the list as the reader types ("york" leaves New York), and on a first visit this
// device's own zone chosen. Without JavaScript the plain list works; the server checks the zone.
"use strict";

(function zones() {
  const select = document.getElementById("timezone");
  const filter = document.getElementById("timezone-filter");
  if (!select || select.tagName !== "SELECT") return;

  const fold = (text) => text.toLowerCase().replace(/_/g, " ").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const entry = (option) => ({ value: option.value, label: option.textContent });
  // The whole list, kept aside, so each search rebuilds from it. An option outside any group
  // (the "Choose your time zone" placeholder) is a group without a label.
  const groups = [...select.children].map((child) => (child.tagName === "OPTGROUP"
    ? { label: child.label, zones: [...child.children].map(entry) }
    : { label: "", zones: [entry(child)] }));

  function choose(zone) {
    let option = [...select.options].find((o) => o.value === zone);
    if (!option) {
      // A name the list doesn't show (an old alias such as Asia/Calcutta): the server accepts it.
      option = new Option(zone.replace(/_/g, " "), zone);
      select.insertBefore(option, select.firstChild);
      groups.unshift({ label: "", zones: [entry(option)] });
    }
    option.selected = true;
  }

  if (select.dataset.autofill === "true") {
    try {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) choose(zone);
    } catch (error) {
      // An old browser without Intl time zones: the list keeps its choice.
    }
  }

  function narrow() {
    const words = fold(filter.value).trim().split(/\s+/).filter(Boolean);
    const current = select.value;
    const matches = (group, zone) => zone.value !== "" &&
      words.every((word) => fold(`${zone.label} ${zone.value} ${group.label}`).includes(word));
    let first = null;
    let currentMatches = false;
    select.replaceChildren();
    groups.forEach((group) => {
      const shown = group.zones.filter((zone) => zone.value === current || matches(group, zone));
      if (!shown.length) return;
      const parent = group.label ? document.createElement("optgroup") : select;
      if (group.label) parent.label = group.label;
      shown.forEach((zone) => {
        parent.appendChild(new Option(zone.label, zone.value, false, zone.value === current));
        if (matches(group, zone)) {
          first = first || zone.value;
          if (zone.value === current) currentMatches = true;
        }
      });
      if (parent !== select) select.appendChild(parent);
    });
    // Typing "new york" is enough: the first match is chosen, and the list holds the rest.
    if (words.length && first && !currentMatches) select.value = first;
  }

  if (filter) {
    filter.hidden = false;
    filter.addEventListener("input", narrow);
  }
})();
