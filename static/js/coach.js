// The review coach, live: a form with data-coach-url is posted there (a pause of 700 ms after the
// reviewer stops typing) and the panel's advice is replaced with the reply. Progressive
// enhancement only: without this the panel shows the advice on the review as last saved.
// Imported by init.mjs; no inline script (the CSP allows scripts from the service only).

const PAUSE_MS = 700;

function replacePanel(html) {
  const reply = new DOMParser().parseFromString(html, "text/html");
  const fresh = reply.querySelector("[data-coach-panel]");
  const panel = document.querySelector("[data-coach-panel]");
  if (!fresh || !panel) return;
  panel.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
  // The live region keeps its place in the page, so that a screen reader hears the new summary.
  const summary = document.querySelector("[data-coach-summary]");
  const freshSummary = reply.querySelector("[data-coach-summary]");
  if (summary && freshSummary && summary.textContent !== freshSummary.textContent) {
    summary.textContent = freshSummary.textContent;
  }
}

function watch(form) {
  const url = form.dataset.coachUrl;
  let timer = null;
  let latest = 0;

  async function ask() {
    const asked = ++latest;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form), // carries the form's csrfmiddlewaretoken
        credentials: "same-origin",
        redirect: "manual", // a session that has ended answers with a redirect: keep the advice
        // Marks the request as made by the page itself: it must not be the one that ends a
        // timed-out session, so that the reviewer's own Save is the one kept for them.
        headers: { Accept: "text/html", "X-SFO-Background": "coach" },
      });
      if (!response.ok || asked !== latest) return; // only the newest reply is shown
      replacePanel(await response.text());
    } catch {
      // Advice only: if the service cannot be reached, the panel keeps its last advice.
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, PAUSE_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

export function initCoach(root = document) {
  root.querySelectorAll("form[data-coach-url]").forEach(watch);
}
