// Pages made for everyone (server/pagecache.py: an article, the library, help) are the same
// bytes for every reader. What such a page needs of its reader comes from here.
"use strict";

// A content-only page (an article, the library, help: the same for every reader, so the
// server renders it once) carries no CSRF token. When it has a form to send, the token comes
// from /acts/token; a form sent before it arrives waits for it, once (if the token can't be
// had, the form goes as it is and the server's refusal says so). Taps are the outbox's: it
// asks for its own token, so their forms are left alone.
(function tokenLater() {
  const body = document.body;
  if (!body) return;
  let asked = null;
  function fill(token) {
    body.setAttribute("data-hx-headers", JSON.stringify({ "x-csrftoken": token }));
    document.querySelectorAll("input[name=_csrf_token]").forEach((input) => { input.value = token; });
    return token;
  }
  function ask() {
    asked = asked || fetch("/acts/token", {
      credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" },
    }).then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((answer) => fill(answer.csrf))
      .catch((error) => { asked = null; throw error; });
    return asked;
  }
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.querySelector || !form.requestSubmit || form.matches("[data-outbox-form]")) return;
    const state = form.dataset.token; // "waiting" for it, then "sent" (once, whatever came)
    if (state === "sent") return;
    const input = form.querySelector("input[name=_csrf_token]");
    if (!state && (!input || input.value || event.defaultPrevented || !navigator.onLine)) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // the form's own handlers see it when it really goes
    if (state === "waiting") return; // a second press while the token is on its way
    form.dataset.token = "waiting";
    const submitter = event.submitter;
    const go = () => {
      form.dataset.token = "sent";
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    };
    ask().then(go, go);
  }, true);
  if (document.querySelector("form[method=post]")) ask().catch(() => {});
})();

// Parts of a page made for everyone that only work with JavaScript wait hidden until it runs
// (a <noscript> next to them offers the way without).
document.querySelectorAll("[data-needs-js]").forEach((element) => { element.hidden = false; });
