/* Rembuk live updates: Server-Sent Events carrying rendered HTML operations.
   <body data-live-url="/board/5/stream" data-seq="42"> opens the stream; each `ops` or
   `snapshot` event has data {"seq": N, "ops": [...]}. We reconnect ourselves with the
   current seq in ?last_event_id= (the browser's own retry may lose Last-Event-ID), and
   close the stream while the browser reports being offline. An `end` event (the login
   this facilitator screen was opened with ended) reloads the page. ES2017.
   Ops: upsert {id, html, into, where?, keep?} (replace #id, or insert into the `into`
   selector: prepend by default, 'append' at the end, 'sorted' before the first child with
   a greater numeric data-order; with `keep` an existing #id is left alone); move {id, into,
   where?} (an existing #id to another container); remove {id}; text {id, text}; html {id,
   html} (innerHTML); attr {id, name, value|null}; check {id, name, value} (reload when #id's
   attribute is not `value`: the page shows another view than the server now would);
   reload. */
(function () {
  'use strict';
  var MIN_DELAY = 500, MAX_DELAY = 10000, STABLE_MS = 10000, NEW_MS = 4000;
  var es = null, baseUrl = null, seq = 0, delay = MIN_DELAY, timer = null;
  var failures = 0, openedAt = 0, hiddenAt = 0;

  function setState(state) {
    var el = document.getElementById('live-status');
    if (!el) return;
    el.hidden = false; // rendered hidden: without this script nothing is live
    el.setAttribute('data-state', state);
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
      case 'reload': location.reload(); return;
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
      if (ops[i] && (ops[i].op === 'reload' || outdated(ops[i]))) { location.reload(); return; }
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
    // The login this screen was opened with ended (a logout, here or on another
    // device): reload, which meets the login form, instead of reconnecting.
    src.addEventListener('end', function () { if (es === src) { close(); location.reload(); } });
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

  window.RembukLive = { reconnect: reconnectNow, seq: function () { return seq; } };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
