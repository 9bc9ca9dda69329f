// The moderator's desk: keyboard moves and actions, bulk select, undo. Plain JS, no build step.
// Everything it shows comes from the server's page or from text it puts in with textContent.
(function () {
  "use strict";

  var UNDO_MS = 10000;
  var data = {};
  var lastAction = null; // {ids: [...], at: ms}
  var current = null;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function msg(key, values) {
    var text = (data.messages && data.messages[key]) || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function csrf() { var el = $("#csrf"); return el ? el.value : ""; }

  // The queue's filters in this page's address: every action answers with the tab counts,
  // and they must be this page's, not every site's.
  function pageFilters() {
    var query = new URLSearchParams(window.location.search);
    var filters = {};
    ["site", "article", "reason"].forEach(function (name) {
      if (query.get(name)) { filters[name] = query.get(name); }
    });
    return filters;
  }

  function post(url, body) {
    body.filters = pageFilters();
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = new Error(json.message || response.statusText);
          error.code = json.code;
          throw error;
        }
        return json;
      });
    });
  }

  function toast(text, withUndo, link) {
    var box = $("#toast");
    if (!box) { return; }
    box.textContent = "";
    var p = document.createElement("span");
    p.textContent = text + (withUndo ? " " + msg("action.undo_hint") : "");
    box.appendChild(p);
    if (link) { // the author's page, where a ban is lifted
      var a = document.createElement("a");
      a.href = link;
      a.className = "toast-link";
      a.textContent = msg("card.open_author");
      box.appendChild(a);
    }
    if (withUndo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "undo";
      button.textContent = msg("action.undo");
      button.addEventListener("click", undo);
      box.appendChild(button);
    }
    box.classList.add("shown");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.classList.remove("shown"); box.textContent = ""; }, withUndo || link ? UNDO_MS : 5000);
  }

  function fail(error) {
    // An expired session fails the CSRF check: say so in the desk's language, not the API's.
    var message = error.code === "csrf_failed" ? msg("error.csrf") : error.message;
    toast(msg("action.failed", { message: message }));
  }

  function cards() { return $all("#cards .card").filter(function (c) { return !c.hidden; }); }
  function tab() { var s = $("#cards"); return s ? s.getAttribute("data-tab") : ""; }

  function setCounts(counts) {
    Object.keys(counts || {}).forEach(function (name) {
      var el = $('[data-count="' + name + '"]');
      if (el) { el.textContent = counts[name] >= 10000 ? "10,000+" : counts[name].toLocaleString("en"); }
    });
  }

  function select(card, focus) {
    if (current) { current.classList.remove("current"); }
    current = card || null;
    if (!current) { return; }
    current.classList.add("current");
    if (focus !== false) {
      current.focus({ preventScroll: true });
      current.scrollIntoView({ block: "nearest" });
    }
  }

  // How much of a card the moderator can see: 1 when all of it (or a screenful) is in view.
  function seen(card) {
    var box = card.getBoundingClientRect();
    var bar = $(".bulk");
    var top = bar && getComputedStyle(bar).position === "sticky" ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    var shown = Math.min(box.bottom, window.innerHeight) - Math.max(box.top, top);
    return Math.max(0, shown) / Math.max(1, Math.min(box.height, window.innerHeight - top));
  }

  function inView(card) { return Boolean(card) && !card.hidden && seen(card) >= 0.5; }

  // The current card follows what the moderator scrolled to: while it is mostly out of view,
  // the card nearest the top that is mostly in view takes its place (a j/k move scrolls its
  // card into view, so it stays current).
  function followView() {
    if (inView(current)) { return; }
    var next = cards().filter(inView)[0];
    if (!next) { return; }
    var focused = document.activeElement === current;
    select(next, false);
    if (focused) { next.focus({ preventScroll: true }); }
  }

  function onScroll() {
    if (onScroll.pending) { return; }
    onScroll.pending = true;
    requestAnimationFrame(function () { onScroll.pending = false; followView(); });
  }

  function move(step) {
    var list = cards();
    if (!list.length) { return; }
    var index = list.indexOf(current);
    index = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
    select(list[index]);
  }

  function stillListed(status) {
    var t = tab();
    if (!t || t === "all") { return true; } // a comment's page, a search of every status
    if (t === "reported") { return false; }
    return status === t;
  }

  function applyResult(card, status) {
    card.setAttribute("data-status", status);
    var label = $("[data-status-label]", card);
    if (label) { label.textContent = msg("status." + status); label.className = "status s-" + status; }
    var pick = $(".pick", card);
    if (pick) { pick.checked = false; }
    // An editors' pick is for a published comment: one that left the thread lost it.
    if (status !== "approved") { $all(".featured-badge, .feature-form", card).forEach(function (el) { el.remove(); }); }
    if (!tab()) { refresh(card); } // a comment's own page: its card as it stands now (the feature form)
    if (!stillListed(status)) {
      var list = cards();
      var next = list[list.indexOf(card) + 1] || list[list.indexOf(card) - 1];
      card.hidden = true;
      if (card === current) { select(next || null); }
    }
    var empty = $("#empty");
    if (empty) { empty.hidden = cards().length > 0; }
  }

  // Put the card as it stands now in place of one another moderator's decision made stale.
  function refresh(card) {
    var id = card.getAttribute("data-id");
    fetch("/mod/api/comments/" + id + "/card", { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var holder = document.createElement("template");
      holder.innerHTML = html.trim();
      var fresh = holder.content.firstElementChild;
      if (!fresh || !card.parentNode) { return; }
      if (!tab()) { $all(".pick", fresh).forEach(function (box) { box.remove(); }); }
      var wasCurrent = card === current;
      card.replaceWith(fresh);
      if (wasCurrent) { current = null; select(fresh, false); }
      updatePicked();
    }).catch(function () {});
  }

  function decide(card, action) {
    if (!card || card.getAttribute("data-status") === "pending") { return; } // the worker's
    var id = Number(card.getAttribute("data-id"));
    var body = { action: action, expected_status: card.getAttribute("data-status") };
    if (action === "reject") { body.reason = ($(".reject-reason", card) || {}).value; }
    var note = $(".decision-note", card); // the comment's own page only
    if (note && note.value.trim()) { body.note = note.value; }
    post("/mod/api/comments/" + id + "/decision", body).then(function (json) {
      if (note) { note.value = ""; }
      applyResult(card, json.status);
      setCounts(json.counts);
      lastAction = { ids: [id], at: Date.now() };
      toast(msg("action.done." + action, { id: id }), true);
      updatePicked();
    }).catch(function (error) {
      fail(error);
      if (error.code === "conflict") { refresh(card); }
    });
  }

  function picked() { return $all("#cards .card:not([hidden]) .pick:checked"); }

  function updatePicked() {
    var el = $("#picked");
    if (el) { el.textContent = msg("bulk.selected", { n: picked().length }); }
  }

  function bulk(action) {
    var boxes = picked();
    if (!boxes.length) { toast(msg("action.nothing_selected")); return; }
    var ids = boxes.map(function (b) { return Number(b.value); });
    var expected = {};
    boxes.forEach(function (b) { expected[b.value] = b.closest(".card").getAttribute("data-status"); });
    var body = { action: action, ids: ids, expected_status: expected };
    if (action === "reject") { body.reason = ($("#bulk-reason") || {}).value; }
    post("/mod/api/bulk", body).then(function (json) {
      json.done.forEach(function (d) { var c = $("#c-" + d.id); if (c) { applyResult(c, d.status); } });
      setCounts(json.counts);
      lastAction = { ids: json.done.map(function (d) { return d.id; }), at: Date.now() };
      var all = $("#pick-all");
      if (all) { all.checked = false; }
      updatePicked();
      var text = msg("action.done.bulk", { n: json.done.length });
      if (json.failed.length) { text += " " + msg("action.failed", { message: json.failed.map(function (f) { return "#" + f.id + " " + f.message; }).join("; ") }); }
      json.failed.forEach(function (f) { var c = $("#c-" + f.id); if (c && f.code === "conflict") { refresh(c); } });
      toast(text, json.done.length > 0);
    }).catch(fail);
  }

  function undo() {
    if (!lastAction || !lastAction.ids.length) { return; }
    if (Date.now() - lastAction.at > UNDO_MS) { toast(msg("action.undo_expired")); lastAction = null; return; }
    var ids = lastAction.ids;
    lastAction = null;
    post("/mod/api/undo", { ids: ids }).then(function (json) {
      json.restored.forEach(function (r) {
        var c = $("#c-" + r.id);
        if (c) { c.hidden = false; applyResult(c, r.status); select(c); }
      });
      setCounts(json.counts);
      var said = [];
      if (json.restored.length) {
        said.push(msg("action.undone", { ids: json.restored.map(function (r) { return "#" + r.id; }).join(", ") }));
      }
      var banned = json.restored.filter(function (r) { return r.ban_stays; });
      banned.forEach(function (r) { said.push(r.ban_stays); });
      if (json.failed.length) {
        said.push(msg("action.undo_failed", { message: json.failed.map(function (f) { return "#" + f.id + ": " + f.message; }).join("; ") }));
      }
      toast(said.join(" "), false, banned.length ? banned[0].author_page : null);
    }).catch(fail);
  }

  function ban(form) {
    var card = form.closest(".card");
    var id = Number(form.getAttribute("data-id"));
    var kind = $("input[name=kind]:checked", form);
    var body = {
      kind: kind ? kind.value : "",
      days: Number(form.elements.days.value),
      note: form.elements.note.value,
      reject: form.elements.reject.checked
    };
    // Rejecting too is a decision: from a stale card it is refused (409), and so is the ban.
    if (body.reject) { body.expected_status = card.getAttribute("data-status"); }
    post("/mod/api/comments/" + id + "/ban", body).then(function (json) {
      var details = form.closest("details");
      if (details) { details.open = false; }
      if (json.status) {
        applyResult(card, json.status);
        lastAction = { ids: [id], at: Date.now() };
      }
      setCounts(json.counts);
      if (!card.hidden) { refresh(card); } // it now says the author is banned, and until when
      // The server says whether the ban is new, or one in force extended or left as it was.
      toast(json.message || msg("action.done.ban", { id: id }), Boolean(json.status));
    }).catch(function (error) {
      fail(error);
      if (error.code === "conflict") { refresh(card); }
    });
  }

  // The ban form's button says "extend" while the detail picked is banned already.
  function banButton(form) {
    var kind = $("input[name=kind]:checked", form);
    var button = $("button[type=submit]", form);
    if (!button || !button.hasAttribute("data-extend")) { return; }
    var extends_ = kind && kind.hasAttribute("data-extends");
    button.textContent = button.getAttribute(extends_ ? "data-extend" : "data-new");
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // A card the keys may act on: the current one if in view, else the one followView picks.
  function actable() {
    if (!current) { move(0); }
    followView();
    return inView(current);
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    var handled = true;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if ((key === "a" || key === "r" || key === "s" || key === "x" || key === "b") && !actable()) {
      handled = false; // no card in view: a key must never act on one the moderator cannot see
    }
    else if (key === "a" || key === "r" || key === "s") {
      decide(current, { a: "approve", r: "reject", s: "spam" }[key]);
    }
    else if (key === "x") {
      var box = $(".pick", current);
      if (box) { box.checked = !box.checked; updatePicked(); }
    }
    else if (key === "b") {
      var details = $("details.ban", current);
      if (details) { details.open = true; var first = $("input[name=kind]", details); if (first) { first.focus(); } }
    }
    else if (key === "u") { undo(); }
    else if (key === "?") { var help = $("#help"); if (help) { help.open = !help.open; } }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  }

  function onClick(event) {
    var button = event.target.closest("button[data-action]");
    if (button) {
      var card = button.closest(".card");
      select(card, false);
      decide(card, button.getAttribute("data-action"));
      return;
    }
    var bulkButton = event.target.closest("button[data-bulk]");
    if (bulkButton) { bulk(bulkButton.getAttribute("data-bulk")); return; }
    var lift = event.target.closest("button[data-lift]");
    if (lift) {
      post("/mod/api/bans/" + lift.getAttribute("data-lift") + "/lift", {}).then(function () {
        var item = lift.closest("li, tr");
        if (item) { item.remove(); }
      }).catch(fail);
      return;
    }
    var card2 = event.target.closest(".card");
    if (card2 && card2 !== current) { select(card2, false); }
  }

  function start() {
    var blob = $("#desk-data");
    if (blob) { try { data = JSON.parse(blob.textContent); } catch (e) { data = {}; } }
    data.messages = data.messages || {};
    var words = $("#desk-words");
    if (words) {
      try {
        var extra = JSON.parse(words.textContent);
        Object.keys(extra).forEach(function (key) { data.messages[key] = extra[key]; });
      } catch (e) { /* the page's own words still work */ }
    }
    document.addEventListener("keydown", onKey);
    window.addEventListener("scroll", onScroll, { passive: true });
    document.addEventListener("click", onClick);
    document.addEventListener("submit", function (event) {
      if (event.target.classList.contains("ban-form")) { event.preventDefault(); ban(event.target); }
    });
    document.addEventListener("change", function (event) {
      if (event.target.id === "pick-all") {
        $all("#cards .card:not([hidden]) .pick").forEach(function (b) { b.checked = event.target.checked; });
      }
      if (event.target.classList.contains("pick") || event.target.id === "pick-all") { updatePicked(); }
      var banForm = event.target.name === "kind" && event.target.closest(".ban-form");
      if (banForm) { banButton(banForm); }
    });
    document.addEventListener("focusin", function (event) {
      var card = event.target.closest && event.target.closest(".card");
      if (card && card !== current) { select(card, false); }
    });
    var list = cards();
    if (list.length) { select(list[0], false); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
