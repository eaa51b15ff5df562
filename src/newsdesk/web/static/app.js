// newsdesk reader: keyboard shortcuts, the help dialog and "new since your last visit".
// Loaded as a static file (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  let selected = -1;
  let pendingG = false;

  function typing(target) {
    if (!(target instanceof HTMLElement)) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function items() {
    return Array.from(document.querySelectorAll("main [data-item]"));
  }

  function select(index) {
    const all = items();
    if (all.length === 0) return;
    selected = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (item, n) {
      item.classList.toggle("selected", n === selected);
      if (n === selected) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
    const chosen = all[selected];
    chosen.scrollIntoView({ block: "nearest" });
    const link = chosen.querySelector("a[href]");
    if (link) link.focus({ preventScroll: true });
  }

  function openSelected() {
    const chosen = items()[selected];
    const link = chosen && chosen.querySelector("a[href]");
    if (link) link.click();
  }

  function showHelp() {
    const dialog = document.getElementById("help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  const goTo = { s: "/", a: "/articles", p: "/actors", f: "/feeds" };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape" && event.target instanceof HTMLElement) event.target.blur();
      return;
    }
    if (pendingG) {
      pendingG = false;
      if (goTo[event.key]) {
        event.preventDefault();
        window.location.assign(goTo[event.key]);
        return;
      }
    }
    switch (event.key) {
      case "j": event.preventDefault(); select(selected + 1); break;
      case "k": event.preventDefault(); select(selected < 0 ? 0 : selected - 1); break;
      case "o": if (selected >= 0) { event.preventDefault(); openSelected(); } break;
      case "/": {
        event.preventDefault();
        const box = document.getElementById("q") || document.getElementById("q-global");
        if (box) { box.focus(); box.select(); }
        break;
      }
      case "?": event.preventDefault(); showHelp(); break;
      case "g": pendingG = true; break;
      default: break;
    }
  });

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target.closest("[data-action=help]") : null;
    if (target) showHelp();
  });

  // What's new: remember when this browser last opened each story; the page asks the server
  // for what arrived since then and shows it in place.
  function whatsNew(root) {
    const box = root.querySelector("[data-whats-new]");
    if (!box) return;
    const story = box.getAttribute("data-story");
    const key = "newsdesk:seen:" + story;
    let last = null;
    try { last = window.localStorage.getItem(key); } catch (e) { last = null; }
    const now = box.getAttribute("data-now");
    if (last && window.htmx) {
      window.htmx.ajax("GET", "/stories/" + story + "/new?since=" + encodeURIComponent(last),
        { target: box, swap: "innerHTML" });
    }
    try { if (now) window.localStorage.setItem(key, now); } catch (e) { /* private mode */ }
  }

  function pageReady(root) {
    selected = -1;
    whatsNew(root);
  }

  document.addEventListener("DOMContentLoaded", function () { pageReady(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.target;
    if (target instanceof HTMLElement && target.tagName === "BODY") {
      pageReady(document);
      const main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    }
  });
})();
