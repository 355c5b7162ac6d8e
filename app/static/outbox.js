/* Rembuk phone outbox: nothing typed or tapped is lost to the hall's Wi-Fi.
   A change the phone cannot send (offline, or its request failed on the way) is kept
   in localStorage with what makes it safe to send twice (an idea's client_id, a dot's
   key) and sent by itself, in order, when the connection returns. #outbox says how
   many wait, confirms each one sent, and keeps a refused one with its reason and its
   text until the person closes it. It also registers the service worker (sw.js) and
   keeps this page and its files for a reload without network. ES2017, no build step.
   Messages come from #outbox's data-msg-* attributes (the page's language). */
(function () {
  'use strict';

  var box, list, countEl, storeKey, sending = false, retryTimer = null, RETRY_MS = 10000;
  // What the phone sends with htmx: its own session's forms only.
  var KINDS = [
    [/\/ideas$/, 'idea'], [/\/ideas\/\d+\/edit$/, 'edit'], [/\/ideas\/\d+\/delete$/, 'delete'],
    [/\/ideas\/\d+\/react$/, 'react'], [/\/ideas\/\d+\/unreact$/, 'unreact'],
    [/\/groups\/\d+\/vote$/, 'vote'], [/\/groups\/\d+\/unvote$/, 'unvote'],
    [/\/groups\/\d+\/score$/, 'score'], [/\/commitment$/, 'commitment']
  ];

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function kindOf(path) {
    if (!path || path.indexOf('/s/') !== 0) return null;
    for (var i = 0; i < KINDS.length; i++) if (KINDS[i][0].test(path)) return KINDS[i][1];
    return null;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || '[]'); } catch (e) { return []; }
  }

  function save(items) {
    try { localStorage.setItem(storeKey, JSON.stringify(items)); } catch (e) { /* full: still shown */ }
  }

  function msg(name) { return box.getAttribute('data-msg-' + name) || ''; }

  function labelOf(kind, fields, elt) {
    var text = '';
    for (var i = 0; i < fields.length; i++) {
      if (fields[i][0] === 'text' || fields[i][0] === 'name') { text = fields[i][1]; break; }
    }
    if (!text && elt) {
      var card = elt.closest('[data-title], .vote-card, .score-card, .gidea, .all-idea');
      var title = card && card.querySelector('.vote-title, .score-title, .gidea-text, .all-idea-text');
      if (title) text = title.textContent;
    }
    text = String(text || '').replace(/\s+/g, ' ').trim();
    return msg('kind-' + kind) + (text ? ': ' + (text.length > 90 ? text.slice(0, 89) + '…' : text) : '');
  }

  function render() {
    var items = load();
    var waiting = items.filter(function (it) { return it.state === 'waiting'; }).length;
    countEl.textContent = waiting ? msg('waiting').replace('{n}', String(waiting)) : '';
    if (!waiting) document.querySelectorAll('.outbox-note').forEach(function (note) { note.remove(); });
    var shown = {};
    for (var i = 0; i < items.length; i++) shown[items[i].id] = true;
    var rows = list.querySelectorAll('li[data-id]');
    for (var r = 0; r < rows.length; r++) {
      if (!shown[rows[r].getAttribute('data-id')] && !rows[r].classList.contains('is-sent')) rows[r].remove();
    }
    for (var j = 0; j < items.length; j++) upsertRow(items[j]);
    box.hidden = !list.children.length;
  }

  function upsertRow(it) {
    var li = list.querySelector('li[data-id="' + it.id + '"]');
    if (!li) {
      li = document.createElement('li');
      li.setAttribute('data-id', it.id);
      li.innerHTML = '<span class="outbox-label"></span> <span class="outbox-state"></span>';
      list.appendChild(li);
    }
    li.className = 'outbox-item is-' + it.state;
    li.querySelector('.outbox-label').textContent = it.label;
    var state = li.querySelector('.outbox-state');
    if (it.state === 'refused') {
      state.textContent = msg('refused') + (it.reason ? ': ' + it.reason : '') + ' ' + msg('kept');
      if (!li.querySelector('button')) {
        var close = document.createElement('button');
        close.type = 'button';
        close.className = 'btn btn-small outbox-close';
        close.textContent = msg('dismiss');
        close.addEventListener('click', function () { forget(it.id); li.remove(); render(); });
        li.appendChild(close);
      }
    } else {
      state.textContent = msg('waiting-one');
    }
  }

  function confirmSent(it) {
    var li = list.querySelector('li[data-id="' + it.id + '"]');
    if (!li) return;
    li.className = 'outbox-item is-sent';
    li.querySelector('.outbox-state').textContent = msg('sent');
    setTimeout(function () { li.remove(); box.hidden = !list.children.length; }, 5000);
  }

  function forget(id) { save(load().filter(function (it) { return it.id !== id; })); }

  function keep(kind, path, fields, elt, label) {
    var items = load();
    // A tap kept for later cannot know the dots it will find: its key makes it safe.
    fields = fields.filter(function (f) { return f[0] !== 'seen'; });
    items.push({ id: newKey(), kind: kind, path: path, fields: fields, label: label || labelOf(kind, fields, elt),
                 state: 'waiting', at: Date.now() });
    save(items);
    render();
    // Lost on the way while the browser thinks it is online: try again soon.
    if (navigator.onLine === false) schedule(); else setTimeout(flush, 1500);
  }

  function reasonOf(html, status) {
    var doc = new DOMParser().parseFromString(html || '', 'text/html');
    var alert = doc.querySelector('.alert-error, [role=alert]');
    return alert ? alert.textContent.replace(/\s+/g, ' ').trim() : 'HTTP ' + status;
  }

  function schedule() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, RETRY_MS);
  }

  // Send what waits, oldest first, one at a time: a later change may depend on an
  // earlier one (an edit of a kept idea). Stops at the first one the network loses.
  function flush() {
    if (sending || navigator.onLine === false) { if (load().length) schedule(); return; }
    var next = load().filter(function (it) { return it.state === 'waiting'; })[0];
    if (!next) return;
    sending = true;
    var body = new URLSearchParams();
    next.fields.forEach(function (f) { body.append(f[0], f[1]); });
    fetch(next.path, { method: 'POST', body: body, credentials: 'same-origin',
                       headers: { 'HX-Request': 'true' } })
      .then(function (res) {
        return res.text().then(function (text) {
          sending = false;
          if (res.status >= 500 || res.status === 408 || res.status === 429) { schedule(); return; }
          if (res.ok || res.type === 'opaqueredirect') {
            forget(next.id);
            confirmSent(next);
          } else {
            var items = load();
            items.forEach(function (it) {
              if (it.id === next.id) { it.state = 'refused'; it.reason = reasonOf(text, res.status); }
            });
            save(items);
          }
          render();
          flush();
        });
      })
      .catch(function () { sending = false; schedule(); });
  }

  function formFields(config) {
    var out = [];
    var data = config.formData;
    if (data && data.forEach) data.forEach(function (value, name) { if (typeof value === 'string') out.push([name, value]); });
    return out;
  }

  function freshForm(elt) {
    // The idea form is ready for the next idea: empty, with a new client_id.
    var form = elt && elt.closest ? elt.closest('form') : null;
    if (!form || form.id !== 'idea-form') return;
    var id = form.querySelector('input[name="client_id"]');
    if (id) id.value = newKey().replace(/-/g, '');
    var text = form.querySelector('textarea[name="text"]');
    if (text) { text.value = ''; text.dispatchEvent(new Event('input', { bubbles: true })); }
    var note = form.querySelector('.outbox-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'outbox-note';
      note.setAttribute('role', 'status');
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = msg('kept-note');
  }

  function start() {
    box = document.getElementById('outbox');
    if (!box || !window.localStorage) return;
    list = box.querySelector('.outbox-items');
    countEl = box.querySelector('.outbox-count');
    storeKey = 'rembuk-outbox-' + box.getAttribute('data-session');

    document.body.addEventListener('htmx:configRequest', function (e) {
      // Every dot carries its own key from the first try: if its answer is lost, the
      // same tap sent again is recognised and gives no second dot.
      var kind = kindOf(e.detail.path);
      if ((kind === 'vote' || kind === 'unvote') && !e.detail.parameters.key) e.detail.parameters.key = newKey();
    });
    document.body.addEventListener('htmx:beforeRequest', function (e) {
      var config = e.detail.requestConfig || {};
      var kind = kindOf(config.path);
      if (!kind || navigator.onLine !== false) return;
      e.preventDefault(); // offline: keep it, do not even try
      keep(kind, config.path, formFields(config), e.detail.elt);
      freshForm(e.detail.elt);
    });
    document.body.addEventListener('htmx:beforeSend', function (e) {
      // Watched on the request itself, not through htmx's error events: those fire on
      // the form, which the live stream may already have replaced (a dot the server
      // gave whose answer was lost), and a detached form's events reach nobody.
      var config = e.detail.requestConfig || {};
      var kind = kindOf(config.path), xhr = e.detail.xhr, elt = e.detail.elt;
      if (!kind || !xhr) return;
      var fields = formFields(config), label = labelOf(kind, fields, elt), done = false;
      function lost() {
        if (done) return;
        done = true;
        keep(kind, config.path, fields, elt, label);
        freshForm(elt);
      }
      xhr.addEventListener('error', lost);
      xhr.addEventListener('timeout', lost);
    });
    if (window.htmx && !htmx.config.timeout) htmx.config.timeout = 20000; // weak Wi-Fi: do not hang forever
    window.addEventListener('online', flush);
    document.addEventListener('rembuk:state', function (e) { if (e.detail.state === 'live') flush(); });
    render();
    flush();
    keepForOffline();
  }

  // The service worker keeps this page and its files; the page puts itself in the
  // cache the first time (the worker was not there yet to see it load).
  function keepForOffline() {
    var version = box.getAttribute('data-sw-version');
    if (!version || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/s/sw.js?v=' + version, { scope: '/s/' }).catch(function () {});
    if (!window.caches) return;
    caches.open('rembuk-phone-' + version).then(function (cache) {
      var urls = [location.pathname];
      document.querySelectorAll('script[src], link[rel=stylesheet][href]').forEach(function (el) {
        var url = el.src || el.href;
        if (url && url.indexOf(location.origin + '/static/') === 0) urls.push(url);
      });
      urls.forEach(function (url) {
        cache.match(url).then(function (hit) { if (!hit) cache.add(url).catch(function () {}); });
      });
    }).catch(function () {});
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
