/* Rembuk live updates: Server-Sent Events carrying rendered HTML operations.
   <body data-live-url="/board/5/stream" data-seq="42"> opens the stream; each `ops` or
   `snapshot` event has data {"seq": N, "ops": [...]}. We reconnect ourselves with the
   current seq in ?last_event_id= (the browser's own retry may lose Last-Event-ID), and
   close the stream while the browser reports being offline. An `end` event (the login
   this facilitator screen was opened with ended) reloads the page; one whose reason is
   `session_deleted` puts <template id="session-deleted"> in place of #main and stops for
   good (reloading would only meet a 404). ES2017.
   Ops: upsert {id, html, into, where?, keep?} (replace #id, or insert into the `into`
   selector: prepend by default, 'append' at the end, 'sorted' before the first child with
   a greater numeric data-order; with `keep` an existing #id is left alone); move {id, into,
   where?} (an existing #id to another container); remove {id}; text {id, text}; html {id,
   html} (innerHTML); attr {id, name, value|null}; check {id, name, value} (reload when #id's
   attribute is not `value`: the page shows another view than the server now would);
   emit {event, detail?} (dispatches `rembuk:<event>` on document: a page script acts, e.g.
   the projector turns a page); reload.
   A page with <body data-soft-reload> (the projector) reloads in place: it fetches itself
   and swaps its body, at most once a second, so it stays in fullscreen and keeps its
   font size; a failed fetch keeps the page and tries again. It then dispatches
   `rembuk:reloaded`. The stream's first `clock` event (and <body data-server-now>) give the
   server's time: RembukLive.now() is this device's clock corrected to it (timer.js). */
(function () {
  'use strict';
  var MIN_DELAY = 500, MAX_DELAY = 10000, STABLE_MS = 10000, NEW_MS = 4000, SOFT_GAP = 1000, SOFT_RETRY = 3000;
  var es = null, baseUrl = null, seq = 0, delay = MIN_DELAY, timer = null;
  var failures = 0, openedAt = 0, hiddenAt = 0;
  var softBusy = false, softAgain = false, lastSoft = 0;
  var over = false; // the session was deleted, or the page reloads soon: never connect again
  var reloadTimer = null;
  var offsets = []; // server clock − this clock, one sample per message that said the time

  function clockSample(iso) {
    var t = Date.parse(iso);
    if (!isFinite(t)) return;
    // A sample is late by the message's travel time, so it underestimates the offset:
    // the largest of the last few is the closest.
    offsets.push(t - Date.now());
    if (offsets.length > 5) offsets.shift();
  }

  function serverNow() {
    return Date.now() + (offsets.length ? Math.max.apply(null, offsets) : 0);
  }

  function setState(state) {
    var el = document.getElementById('live-status');
    if (!el) return;
    el.hidden = false; // rendered hidden: without this script nothing is live
    el.setAttribute('data-state', state);
    // The phone's outbox sends what it kept as soon as the stream is back (outbox.js).
    document.dispatchEvent(new CustomEvent('rembuk:state', { detail: { state: state } }));
  }

  function streamUrl() {
    return baseUrl + (baseUrl.indexOf('?') >= 0 ? '&' : '?') + 'last_event_id=' + encodeURIComponent(seq);
  }

  function fragment(html) {
    var t = document.createElement('template');
    t.innerHTML = String(html || '').trim();
    return t.content.firstElementChild;
  }

  function insert(box, node, where) {
    if (where === 'sorted') {
      // Same order as the server renders (ids ascending): a group's first idea is its
      // default title, so every screen must agree on which idea is first.
      var key = Number(node.getAttribute('data-order'));
      for (var c = box.firstElementChild; c; c = c.nextElementSibling) {
        if (c !== node && Number(c.getAttribute('data-order')) > key) { box.insertBefore(node, c); return; }
      }
      box.appendChild(node);
    } else if (where === 'append') box.appendChild(node);
    else box.insertBefore(node, box.firstChild);
  }

  function flash(node) {
    node.classList.add('is-new');
    setTimeout(function () { node.classList.remove('is-new'); }, NEW_MS);
  }

  function processHtmx(node) {
    if (window.htmx && node) window.htmx.process(node);
  }

  function applyOp(op) {
    var el = op.id ? document.getElementById(op.id) : null;
    switch (op.op) {
      case 'upsert': {
        if (el && op.keep) return;
        var node = fragment(op.html);
        if (!node) return;
        if (op.id && !node.id) node.id = op.id;
        var box = op.into ? document.querySelector(op.into) : null;
        if (el) {
          var moved = box && el.parentNode !== box;
          if (moved || (box && op.where === 'sorted')) { el.remove(); insert(box, node, op.where); }
          else el.replaceWith(node);
          if (moved) flash(node); // an idea that changed group: easy to follow on the wall
        } else {
          if (!box) return;
          insert(box, node, op.where);
          flash(node);
        }
        processHtmx(node);
        return;
      }
      case 'move': {
        var target = op.into ? document.querySelector(op.into) : null;
        if (!el || !target) return;
        var changed = el.parentNode !== target;
        if (changed || op.where === 'sorted') { el.remove(); insert(target, el, op.where); }
        if (changed) flash(el);
        return;
      }
      case 'remove': if (el) el.remove(); return;
      case 'text': if (el) el.textContent = op.text == null ? '' : String(op.text); return;
      case 'html': if (el) { el.innerHTML = op.html || ''; processHtmx(el); } return;
      case 'attr':
        if (!el || !op.name) return;
        if (op.value == null) el.removeAttribute(op.name);
        else el.setAttribute(op.name, String(op.value));
        return;
      case 'emit':
        document.dispatchEvent(new CustomEvent('rembuk:' + op.event, { detail: op.detail || {} }));
        return;
      case 'reload': reloadWithin(op.within_ms); return;
    }
  }

  // The whole room was told to reload (the vote opened …): each phone comes back at a
  // moment of its own within the server's window, so the worker serves the pages one
  // after another instead of turning some away. Meanwhile the stream is closed (the page
  // is out of date) and the status says "Updating…".
  function reloadWithin(ms) {
    // The projector reloads in place and at once (it is one screen, not the room).
    if (!(ms > 0) || document.body.hasAttribute('data-soft-reload')) { reloadPage(); return; }
    if (reloadTimer) return;
    over = true;
    close();
    clearTimeout(timer);
    document.body.setAttribute('aria-busy', 'true');
    setState('updating');
    reloadTimer = setTimeout(reloadPage, Math.floor(Math.random() * ms));
  }

  function reloadPage() {
    if (!document.body.hasAttribute('data-soft-reload') || !window.fetch || !window.DOMParser) {
      location.reload();
      return;
    }
    softAgain = true;
    if (softBusy) return;
    softBusy = true;
    setTimeout(softReload, Math.max(0, lastSoft + SOFT_GAP - Date.now()));
  }

  function softReload() {
    softAgain = false;
    lastSoft = Date.now();
    fetch(location.href, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      // A logout sends the page to the login form: that one really is a new page.
      if (r.redirected || r.status === 401 || r.status === 403 || r.status === 404) { location.reload(); return null; }
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (html) {
      if (html == null) return;
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var next = doc.body;
      if (!next || !next.getAttribute('data-live-url')) { location.reload(); return; }
      var body = document.body;
      for (var i = body.attributes.length - 1; i >= 0; i--) body.removeAttribute(body.attributes[i].name);
      for (var j = 0; j < next.attributes.length; j++) body.setAttribute(next.attributes[j].name, next.attributes[j].value);
      body.replaceChildren.apply(body, Array.prototype.slice.call(next.childNodes).map(function (n) {
        return document.importNode(n, true);
      }));
      document.title = doc.title;
      baseUrl = body.dataset.liveUrl;
      seq = parseInt(body.dataset.seq, 10) || 0;
      if (body.dataset.serverNow) clockSample(body.dataset.serverNow);
      processHtmx(body);
      setState('connecting');
      delay = MIN_DELAY;
      connect();
      document.dispatchEvent(new CustomEvent('rembuk:reloaded'));
      done();
    }).catch(function () {
      // Offline or a server restarting: keep showing what we have, try again soon.
      softAgain = true;
      lastSoft = Date.now() + SOFT_RETRY - SOFT_GAP;
      done();
    });

    function done() {
      softBusy = false;
      if (softAgain) reloadPage();
    }
  }

  function outdated(op) {
    if (op.op !== 'check') return false;
    var el = document.getElementById(op.id);
    return !!el && el.getAttribute(op.name) !== String(op.value);
  }

  function onMessage(evt, isSnapshot) {
    var msg;
    try { msg = JSON.parse(evt.data); } catch (err) { return; }
    var n = Number(msg && msg.seq != null ? msg.seq : evt.lastEventId);
    if (!isFinite(n)) { if (!isSnapshot) return; n = seq; }
    if (!isSnapshot && n <= seq) return; // replay of something already applied
    var ops = (msg && msg.ops) || [];
    for (var i = 0; i < ops.length; i++) {
      if (ops[i] && ops[i].op === 'reload') { reloadWithin(ops[i].within_ms); return; }
      if (ops[i] && outdated(ops[i])) { reloadPage(); return; }
      try { applyOp(ops[i]); } catch (err) { if (window.console) console.error('rembuk op failed', ops[i], err); }
    }
    seq = n;
    document.body.dataset.seq = String(seq);
    document.dispatchEvent(new CustomEvent('rembuk:applied', { detail: { seq: seq, snapshot: isSnapshot } }));
  }

  function close() { if (es) { es.close(); es = null; } }

  function connect() {
    clearTimeout(timer);
    timer = null;
    if (over) return;
    close(); // never two EventSources at once
    setState(navigator.onLine === false ? 'offline' : 'connecting');
    var src = new EventSource(streamUrl());
    es = src;
    src.addEventListener('open', function () {
      if (es !== src) return;
      openedAt = Date.now();
      setState('live');
    });
    src.addEventListener('ops', function (e) { if (es === src) onMessage(e, false); });
    src.addEventListener('snapshot', function (e) { if (es === src) onMessage(e, true); });
    src.addEventListener('clock', function (e) {
      if (es !== src) return;
      try { clockSample(JSON.parse(e.data).now); } catch (err) { /* not a clock */ }
      document.dispatchEvent(new CustomEvent('rembuk:clock'));
    });
    // The login this screen was opened with ended (a logout, here or on another
    // device): reload, which meets the login form, instead of reconnecting.
    src.addEventListener('end', function (e) {
      if (es !== src) return;
      close();
      var reason = null;
      try { reason = JSON.parse(e.data).reason; } catch (err) { /* no reason: reload */ }
      if (reason === 'session_deleted' && showDeleted()) return;
      location.reload();
    });
    src.addEventListener('error', function () {
      if (es !== src) return;
      // Take over from the browser's retry so the reconnect carries our current seq.
      close();
      if (openedAt && Date.now() - openedAt > STABLE_MS) { delay = MIN_DELAY; failures = 0; }
      openedAt = 0;
      failures += 1;
      setState(navigator.onLine === false || failures >= 3 ? 'offline' : 'connecting');
      schedule();
    });
  }

  function showDeleted() {
    var notice = document.getElementById('session-deleted');
    var main = document.getElementById('main');
    if (!notice || !main) return false;
    over = true;
    main.replaceChildren(notice.content.cloneNode(true));
    setState('deleted');
    document.dispatchEvent(new CustomEvent('rembuk:ended', { detail: { reason: 'session_deleted' } }));
    return true;
  }

  function schedule() {
    if (timer) return;
    var wait = delay + Math.random() * delay * 0.5;
    delay = Math.min(delay * 2, MAX_DELAY);
    timer = setTimeout(connect, wait);
  }

  function goOffline() {
    clearTimeout(timer);
    timer = null;
    close();
    openedAt = 0;
    setState('offline');
  }

  function reconnectNow() {
    if (!baseUrl) return;
    if (es && es.readyState === EventSource.OPEN) return;
    delay = MIN_DELAY;
    connect();
  }

  function start() {
    var body = document.body;
    if (baseUrl || !body || !body.dataset.liveUrl || !window.EventSource) return;
    baseUrl = body.dataset.liveUrl;
    seq = parseInt(body.dataset.seq, 10) || 0;
    body.dataset.seq = String(seq);
    if (body.dataset.serverNow) clockSample(body.dataset.serverNow);
    window.addEventListener('online', reconnectNow);
    // When the browser says it is offline, drop the stream ourselves: Chromium keeps an
    // open EventSource alive through its offline mode (checked with Playwright), and a
    // phone switching networks may keep a half-dead socket. 'online' reconnects from seq.
    window.addEventListener('offline', goOffline);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') { hiddenAt = Date.now(); return; }
      // iOS Safari silently drops background streams: force a fresh one after a long absence.
      if (hiddenAt && Date.now() - hiddenAt > 30000) { delay = MIN_DELAY; connect(); } else reconnectNow();
      hiddenAt = 0;
    });
    window.addEventListener('pagehide', function () { clearTimeout(timer); timer = null; close(); });
    window.addEventListener('pageshow', function (e) { if (e.persisted) reconnectNow(); });
    connect();
  }

  window.RembukLive = { reconnect: reconnectNow, seq: function () { return seq; }, now: serverNow };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
