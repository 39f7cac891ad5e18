// The reading library's small helpers: text size, share, "finished" marks kept in this browser
// for offline display, and the "Available offline" note. Every page works without it.
"use strict";

(function reader() {
  const SIZE_KEY = "lifted.textSize";
  const READS_KEY = "lifted.reads";
  const PENDING_KEY = "lifted.readsToSend";
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

  // What the server knows this reader has finished: {known, finished: [slugs]}, or null
  // offline. Pages are the same for every reader (server/pagecache.py), so they ask.
  async function serverReads() {
    if (!navigator.onLine) return null;
    try {
      const response = await fetch("/articles/reads", {
        credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" },
        // A network that is up but not answering: this browser's copy stands meanwhile.
        signal: AbortSignal.timeout ? AbortSignal.timeout(8000) : undefined,
      });
      return response.ok ? await response.json() : null;
    } catch (error) {
      return null;
    }
  }

  function showFinished(article, finished) {
    const read = article.querySelector('[data-finish="read"]');
    const unread = article.querySelector('[data-finish="unread"]');
    if (read) read.hidden = !finished;
    if (unread) unread.hidden = finished;
  }

  // The server is the record when it knows the reader; this browser's copy fills in offline,
  // when the cached page may be older than the reader's last "Mark as read".
  async function syncArticle(article) {
    wireReadForms(article);
    const slug = article.dataset.slug;
    // What this browser knows, at once; the server's word (below) corrects it.
    if (!("finished" in article.dataset)) showFinished(article, reads().has(slug));
    let known = article.dataset.account === "true" && navigator.onLine;
    let onServer = article.dataset.finished === "true";
    if (!("finished" in article.dataset)) {
      const answer = await serverReads();
      known = Boolean(answer && answer.known);
      onServer = Boolean(answer && answer.finished.includes(slug));
    }
    const set = reads();
    if (known) {
      adopt(set, slug, onServer);
      saveReads(set);
    }
    // Unknown to the server (offline, or no account yet): what this browser knows counts too.
    showFinished(article, set.has(slug) || (!known && onServer));
  }

  function wireReadForms(article) {
    document.querySelectorAll("form[data-read-form]").forEach((form) => form.addEventListener("submit", (event) => {
      const slug = article.dataset.slug;
      const action = form.dataset.readForm;
      const latest = reads();
      if (action === "read") latest.add(slug);
      else latest.delete(slug);
      saveReads(latest);
      if (navigator.onLine) return; // the form posts as usual
      // Offline the post would fail on a browser error page: keep it here and send it later.
      event.preventDefault();
      const pending = pendingReads();
      pending[slug] = action;
      store(PENDING_KEY, JSON.stringify(pending));
      form.replaceWith(note(action === "read"
        ? "✓ Marked as read on this phone. It's saved to your reading when you're back online."
        : "Marked as unread on this phone. It's saved when you're back online."));
    }));
  }

  function note(text) {
    const paragraph = document.createElement("p");
    paragraph.className = "finished-note";
    paragraph.setAttribute("role", "status");
    paragraph.textContent = text;
    return paragraph;
  }

  function pendingReads() {
    try { return JSON.parse(stored(PENDING_KEY) || "{}"); } catch (error) { return {}; }
  }

  function pageToken(html) {
    const match = /"x-csrftoken": ?"([^"]+)"/.exec(html);
    return match ? match[1] : null;
  }

  // Sends reads made offline. The page's token may be stale or not there yet (a page made for
  // everyone has none), so a refusal asks for the current one and tries once more.
  let flushing = false;
  async function flushPending() {
    const pending = pendingReads();
    if (flushing || !navigator.onLine || !Object.keys(pending).length) return;
    flushing = true;
    let token = pageToken(document.body.getAttribute("data-hx-headers") || "");
    const send = (slug, action) => fetch(`/articles/${encodeURIComponent(slug)}/${action}`, {
      method: "POST", credentials: "same-origin", headers: { "x-csrftoken": token || "" },
    });
    try {
      for (const [slug, action] of Object.entries(pending)) {
        let response = await send(slug, action);
        if (response.status === 403) {
          const fresh = await fetch("/acts/token", { credentials: "same-origin", cache: "no-store" });
          token = (await fresh.json()).csrf;
          response = await send(slug, action);
        }
        // Sent, or refused for good (an article since removed): either way it leaves the queue.
        if (response.ok || response.status === 404) {
          const left = pendingReads();
          delete left[slug];
          store(PENDING_KEY, JSON.stringify(left));
        }
      }
    } catch (error) {
      // Still offline after all; the queue waits for the next "online".
    } finally {
      flushing = false;
    }
  }

  // Takes the server's word for one article, unless a change made offline is still on its way.
  function adopt(set, slug, finishedOnServer) {
    const waiting = pendingReads()[slug];
    if (waiting ? waiting === "read" : finishedOnServer) set.add(slug);
    else set.delete(slug);
  }

  async function markList(list) {
    const items = list.querySelectorAll("[data-slug]");
    const answer = await serverReads();
    const set = reads();
    if (answer && answer.known) {
      // Only this list's entries are known here (it may be filtered): keep the others as they were.
      const finished = new Set(answer.finished);
      items.forEach((item) => adopt(set, item.dataset.slug, finished.has(item.dataset.slug)));
      saveReads(set);
    } else {
      // A cached page may be older than the reader's last change: this browser's copy is newer.
      items.forEach((item) => { if (item.classList.contains("is-finished")) set.add(item.dataset.slug); });
      Object.entries(pendingReads()).forEach(([slug, action]) => { if (action === "unread") set.delete(slug); });
    }
    items.forEach((item) => {
      const finished = set.has(item.dataset.slug);
      item.classList.toggle("is-finished", finished);
      const badge = item.querySelector(".finished-badge");
      if (badge) badge.hidden = !finished;
    });
    const count = [...items].filter((item) => set.has(item.dataset.slug)).length;
    const line = document.querySelector("[data-finished-count]");
    if (line) line.textContent = count ? ` · you've finished ${count}` : "";
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

  // The topic bar scrolls sideways: fade the edges that have more, and keep the chosen
  // topic in view (after a swap the new bar starts scrolled to the left).
  function setUpTopicBar(nav) {
    const list = nav.querySelector("ul");
    if (!list) return;
    const edges = () => {
      nav.classList.toggle("more-before", list.scrollLeft > 2);
      nav.classList.toggle("at-end", list.scrollLeft + list.clientWidth >= list.scrollWidth - 2);
    };
    const current = list.querySelector("[aria-current]");
    if (current && current.offsetLeft + current.offsetWidth > list.clientWidth) {
      list.scrollLeft = current.offsetLeft - list.clientWidth / 3;
    }
    list.addEventListener("scroll", edges, { passive: true });
    edges();
  }

  function setUpLibrary() {
    const bar = document.querySelector(".topic-filter");
    if (bar) setUpTopicBar(bar);
    const list = document.querySelector(".article-list");
    if (list) markList(list);
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
    setUpLibrary();
    offlineReady();
    flushPending();
  }

  document.addEventListener("DOMContentLoaded", start);
  // A topic chosen swaps the list (htmx): mark the new one's edges and finished readings too.
  document.addEventListener("htmx:afterSettle", () => {
    if (document.getElementById("library")) setUpLibrary();
  });
  window.addEventListener("resize", () => {
    const bar = document.querySelector(".topic-filter");
    const list = bar && bar.querySelector("ul");
    if (list) list.dispatchEvent(new Event("scroll"));
  });
  window.addEventListener("online", flushPending);
  // Offline, an htmx filter request fails: load the page instead, which the worker has cached.
  document.addEventListener("htmx:sendError", (event) => {
    const path = event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath;
    if (path && path.startsWith("/articles")) window.location.assign(path);
  });
})();
