// The reading library's small helpers: text size, share, "finished" marks kept in this browser
// for offline display, and the "Available offline" note. Every page works without it.
"use strict";

(function reader() {
  const SIZE_KEY = "lifted.textSize";
  const READS_KEY = "lifted.reads";
  const SIZES = ["small", "medium", "large"];
  const root = document.documentElement;

  function stored(key) {
    try { return localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (error) { /* private mode: size resets */ }
  }

  // Runs before the body parses (this script is not deferred) so the text never jumps size.
  function applySize(size) {
    SIZES.forEach((name) => root.classList.toggle(`text-${name}`, name === size && size !== "medium"));
  }
  applySize(stored(SIZE_KEY) || "medium");

  function reads() {
    try { return new Set(JSON.parse(stored(READS_KEY) || "[]")); } catch (error) { return new Set(); }
  }
  function saveReads(set) { store(READS_KEY, JSON.stringify([...set])); }

  function setUpTextSize(tools) {
    const buttons = tools.querySelectorAll("[data-text-size]");
    const show = (size) => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.textSize === size)));
    show(stored(SIZE_KEY) || "medium");
    buttons.forEach((button) => button.addEventListener("click", () => {
      store(SIZE_KEY, button.dataset.textSize);
      applySize(button.dataset.textSize);
      show(button.dataset.textSize);
    }));
  }

  function setUpShare(button, status) {
    const canCopy = navigator.clipboard && window.isSecureContext;
    if (!navigator.share && !canCopy) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const url = button.dataset.shareUrl;
      if (navigator.share) {
        try { await navigator.share({ title: button.dataset.shareTitle, url }); } catch (error) { /* closed */ }
        return;
      }
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = "Link copied.";
      } catch (error) {
        status.textContent = `Copy this link: ${url}`;
      }
    });
  }

  // The server is the record when it knows the reader; this browser's copy fills in offline,
  // when the cached page may be older than the reader's last "Mark as read".
  function syncArticle(article) {
    const set = reads();
    const serverKnows = article.dataset.account === "true" && navigator.onLine;
    if (serverKnows) {
      if (article.dataset.finished === "true") set.add(article.dataset.slug);
      else set.delete(article.dataset.slug);
      saveReads(set);
    }
    document.querySelectorAll("form[data-read-form]").forEach((form) => form.addEventListener("submit", () => {
      const latest = reads();
      if (form.dataset.readForm === "read") latest.add(article.dataset.slug);
      else latest.delete(article.dataset.slug);
      saveReads(latest);
    }));
  }

  function markList(list) {
    let set = reads();
    const items = list.querySelectorAll("[data-slug]");
    if (list.dataset.account === "true" && navigator.onLine) {
      // Only this list's entries are known here (it may be filtered): keep the others as they were.
      items.forEach((item) => {
        if (item.classList.contains("is-finished")) set.add(item.dataset.slug);
        else set.delete(item.dataset.slug);
      });
      saveReads(set);
      return;
    }
    items.forEach((item) => {
      if (!set.has(item.dataset.slug)) return;
      item.classList.add("is-finished");
      const badge = item.querySelector(".finished-badge");
      if (badge) badge.hidden = false;
    });
  }

  function offlineReady() {
    const note = document.querySelector(".offline-ready");
    if (!note || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "precached") note.hidden = false;
    });
    navigator.serviceWorker.startMessages();
    // A controlling worker has finished installing, so its precache is complete.
    navigator.serviceWorker.ready.then((registration) => {
      const worker = navigator.serviceWorker.controller || registration.active;
      if (worker) worker.postMessage({ type: "status" });
    });
  }

  function start() {
    const tools = document.querySelector(".reading-tools");
    if (tools) {
      tools.hidden = false;
      setUpTextSize(tools);
      const share = tools.querySelector(".share");
      if (share) setUpShare(share, document.querySelector(".share-status"));
    }
    const article = document.querySelector("article[data-slug]");
    if (article) syncArticle(article);
    const list = document.querySelector(".article-list");
    if (list) markList(list);
    offlineReady();
  }

  document.addEventListener("DOMContentLoaded", start);
  // The topic filter swaps the list in place; mark the new entries too.
  document.addEventListener("htmx:afterSwap", () => {
    const list = document.querySelector(".article-list");
    if (list) markList(list);
  });
  // Offline, an htmx filter request fails: load the page instead, which the worker has cached.
  document.addEventListener("htmx:sendError", (event) => {
    const path = event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath;
    if (path && path.startsWith("/articles")) window.location.assign(path);
  });
})();
