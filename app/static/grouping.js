/* Rembuk grouping by drag and drop (board and console, facilitator only), on top of
   the forms that work without it (every idea's ⇄ move form, every card's ✎ form).
   Needs the vendored SortableJS (window.Sortable) and a container
   <div id="group-columns" data-grouping="SESSION_ID"> holding group cards
   (fragments/_group_card.html) in columns (.gcol, data-dimension).

   - an idea dropped on another card's list: POST /board/S/ideas/I/move group_id=G;
   - an idea dropped on a column's "new group" zone: the same with group_id empty and
     the column's dimension;
   - a card dragged by its handle into another column: POST /board/S/groups/G/edit
     dimension=D.
   The server answers 204 and the live stream (live.js) moves the cards on every
   screen, this one included (in id order, so all screens agree on each group's
   first idea). A refusal puts the item back and shows the message. ES2017. */
(function () {
  'use strict';
  var root = null, base = '', alertTimer = null;

  function post(url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    body.append('next', location.pathname);
    return fetch(url, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'HX-Request': 'true', 'Content-Type': 'application/x-www-form-urlencoded' }
    });
  }

  function showError(html, fallback) {
    var box = document.getElementById('board-alert');
    if (!box) return;
    var t = document.createElement('template');
    t.innerHTML = html || '';
    var found = t.content.querySelector('.alert-error');
    box.textContent = found ? found.textContent.trim() : fallback;
    box.hidden = false;
    clearTimeout(alertTimer);
    alertTimer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  function putBack(evt) {
    var from = evt.from, item = evt.item;
    if (!item.isConnected || item.parentNode === from) return; // the live stream got there first
    from.insertBefore(item, from.children[evt.oldIndex] || null);
  }

  function send(url, data, evt, putBackAnyway) {
    root.classList.add('is-saving');
    post(url, data).then(function (r) {
      if (r.ok) { if (putBackAnyway) putBack(evt); return; }
      putBack(evt);
      return r.text().then(function (text) { showError(text, r.status + ' ' + r.statusText); });
    }, function () {
      putBack(evt);
      showError('', navigator.onLine === false ? 'Offline' : 'Network error');
    }).then(function () { root.classList.remove('is-saving'); });
  }

  function onIdeaDrop(evt) {
    var idea = evt.item.getAttribute('data-idea');
    var zone = evt.to.closest('.new-group-zone');
    if (zone) {
      // The zone only receives: the idea goes back to its card until the live stream
      // moves it into its new group (or leaves it, if it already was a group of one).
      send(base + '/ideas/' + idea + '/move', { group_id: '', dimension: dimensionOf(zone) }, evt, true);
      return;
    }
    var card = evt.to.closest('.group-card');
    if (!card || !idea) { putBack(evt); return; }
    send(base + '/ideas/' + idea + '/move', { group_id: card.getAttribute('data-group') }, evt);
  }

  function onCardDrop(evt) {
    var group = evt.item.getAttribute('data-group');
    send(base + '/groups/' + group + '/edit', { dimension: dimensionOf(evt.to) }, evt);
  }

  function dimensionOf(el) {
    return el.getAttribute('data-dimension'); // 'none': uncategorised
  }

  var common = { animation: 150, ghostClass: 'dnd-ghost', chosenClass: 'dnd-chosen', dragClass: 'dnd-drag',
                 forceFallback: true, fallbackOnBody: true, fallbackTolerance: 4, scroll: true, bubbleScroll: true };

  function extend(extra) {
    var out = {};
    Object.keys(common).forEach(function (k) { out[k] = common[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }

  function once(el, make) {
    if (el.hasAttribute('data-dnd')) return;
    el.setAttribute('data-dnd', '');
    make(el);
  }

  function prepare() {
    if (!root) return;
    root.querySelectorAll('.group-ideas').forEach(function (list) {
      once(list, function () {
        window.Sortable.create(list, extend({
          group: 'ideas', sort: false, draggable: '.gidea',
          // Clicks on the move and rename controls stay clicks.
          filter: 'summary, details[open], form, a, button, select, input', preventOnFilter: false,
          onAdd: onIdeaDrop
        }));
      });
    });
    root.querySelectorAll('.new-group-zone').forEach(function (zone) {
      zone.hidden = false;
      once(zone, function () {
        window.Sortable.create(zone, extend({ group: { name: 'ideas', pull: false, put: true }, sort: false,
                                               onAdd: onIdeaDrop }));
      });
    });
    root.querySelectorAll('.gcol').forEach(function (col) {
      once(col, function () {
        window.Sortable.create(col, extend({ group: 'groups', sort: false, draggable: '.group-card',
                                             handle: '.group-handle', onAdd: onCardDrop }));
      });
    });
  }

  function start() {
    root = document.querySelector('[data-grouping]');
    if (!root || !window.Sortable) return;
    base = '/board/' + root.getAttribute('data-grouping');
    root.classList.add('dnd-ready');
    prepare();
    // Cards and ideas arrive from the live stream (and whole regions on a resync).
    document.addEventListener('rembuk:applied', prepare);
    // The move form loaded into an idea's ⇄ control: put the keyboard in its select.
    document.addEventListener('htmx:afterSwap', function (e) {
      var select = e.target && e.target.querySelector && e.target.querySelector('.move-select');
      if (select) select.focus();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

/* The console's "most +1 first": group cards ordered by the "+1 setuju" of their ideas
   (the sum of each card's .idea-reactions counts), most first, ties in id order; off,
   back to id order. Only this screen's order: the board and the other screens keep
   theirs. Applied again after every live update (new cards arrive in id order). */
(function () {
  'use strict';
  var button = null;

  function reactionsOf(card) {
    var total = 0;
    card.querySelectorAll('.idea-reactions [aria-hidden]').forEach(function (el) {
      total += parseInt(el.textContent.replace('+', ''), 10) || 0;
    });
    return total;
  }

  function order() {
    var byReactions = button.getAttribute('aria-pressed') === 'true';
    document.querySelectorAll('#group-columns .gcol').forEach(function (column) {
      var cards = Array.prototype.slice.call(column.children).filter(function (el) { return el.matches('.group-card'); });
      cards.sort(function (a, b) {
        var diff = byReactions ? reactionsOf(b) - reactionsOf(a) : 0;
        return diff || (parseInt(a.getAttribute('data-order'), 10) - parseInt(b.getAttribute('data-order'), 10));
      });
      cards.forEach(function (card) { column.appendChild(card); });
    });
  }

  function start() {
    button = document.getElementById('sort-by-reactions');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      button.setAttribute('aria-pressed', button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
      order();
    });
    document.addEventListener('rembuk:applied', function () { if (button.getAttribute('aria-pressed') === 'true') order(); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
