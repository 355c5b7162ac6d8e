/* Rembuk projector: the board fits any screen, turns its own pages, and takes keys.

   Fit. Sizes are em of one font size set by the screen's height (board.css: 24 px at
   1080 lines, scaled with the screen, times the font-size control), so text is never
   below what the back of a hall can read. On top of that the content grows to fill
   the screen while it fits (--fit, up to FITS[0]).

   Pages. Every list marked [data-pager] shows the items that fit whole; the rest are
   counted in a line after it, "+N lagi · 2/5", and the pages turn every PAGE_MS (a
   text wall), or by hand: ← → / PageUp PageDown (presenter clickers), the console's
   remote (`rembuk:turn`, from the live stream). Items in a row of a grid share a
   page. An item taller than its list alone (a group with many ideas) shows the ideas
   that fit and counts the rest (its [data-pager-sub] list). A newly arrived item is
   shown at once for NEW_MS (its page is pinned), so a new idea always reaches the
   screen. Counts per column ([data-count-of]) follow the lists.

   Keys: F fullscreen, ←/→ page, Space (or B, . of a clicker) hide/reveal the texts,
   T timer (start 5 minutes / pause / resume), V next view, J join panel, + − text
   size, D dark high-contrast theme, M sound, ? help. Text size, theme and sound are
   this projector's own (localStorage), not the session's. The controls go through the JSON API with this login; what
   they change comes back through the live stream, like any other change.
   ES2017. */
(function () {
  'use strict';
  var PAGE_MS = 8000, MANUAL_MS = 30000, NEW_MS = 10000, CLOUD_GAP_MS = 2000;
  var FITS = [1.6, 1.4, 1.25, 1.12, 1];
  var CLOUD_FITS = [2.4, 2, 1.7, 1.45, 1.25, 1.1, 1];
  var SCALES = [1, 1.15, 1.3, 1.5, 1.75];
  var VIEWS = ['columns', 'cloud', 'wall'];
  var TIMER_DEFAULT_S = 300;

  var tick = 0;          // the board's page clock: each region shows (tick - start) mod pages
  var starts = {};       // region key → tick at which it shows its first page
  var pins = {};         // region key → {item, until}: a new item stays on screen
  var infos = [];        // the last layout: [{key, region, items, pages, more}]
  var manualUntil = 0, layoutQueued = false, lastFit = null, audio = null;
  var cloudTimer = null, cloudLast = 0, toastTimer = null, layouts = 0, laidOutWhileFontsLoaded = false;

  function body() { return document.body; }
  function label(name, fallback) { return body().getAttribute('data-label-' + name) || fallback; }

  function read(key, fallback) {
    try { var v = window.localStorage.getItem('rembuk.board.' + key); return v == null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function write(key, value) {
    try { window.localStorage.setItem('rembuk.board.' + key, String(value)); } catch (e) { /* private mode */ }
  }

  // --- lists and their pages -----------------------------------------------------------
  function regionKey(region, index) { return region.id || 'pager-' + index; }

  // Every item of a region back on the page (writes only).
  function resetItems(region) {
    var all = [];
    for (var el = region.firstElementChild; el; el = el.nextElementSibling) {
      if (el.classList.contains('sr-only') || el.classList.contains('pg-own')) continue;
      el.classList.remove('pg-out');
      resetSubs(el);
      all.push(el);
    }
    return all;
  }

  // Reads come only after the writes: a read between two writes lays the page out
  // again, and for a board of 170 group cards that was seconds of layouts.
  function visible(el) { return el.getClientRects().length > 0; } // not filtered away by CSS

  function moreLine(region) {
    var next = region.nextElementSibling;
    if (next && next.classList.contains('pager-more')) return next;
    var more = document.createElement('p');
    more.className = 'pager-more pg-own';
    more.setAttribute('aria-live', 'off');
    more.hidden = true;
    region.insertAdjacentElement('afterend', more);
    return more;
  }

  function subList(item) { return item.querySelector('[data-pager-sub]'); }

  function resetSubs(item) {
    var list = subList(item);
    if (!list) return;
    for (var li = list.firstElementChild; li; li = li.nextElementSibling) li.classList.remove('pg-sub-out');
    var note = list.nextElementSibling;
    if (note && note.classList.contains('sub-more')) note.hidden = true;
    item.classList.remove('pg-clipped');
  }

  function overflows(el) { return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1; }

  function innerBox(region) {
    var style = getComputedStyle(region);
    var top = region.getBoundingClientRect().top + region.clientTop + parseFloat(style.paddingTop);
    var height = region.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return { top: top, height: height };
  }

  // Every list's pages, in four passes over all lists (writes, reads, writes, reads):
  // measured one list at a time, each list's writes laid the whole page out again
  // before the next list's reads, twice per list.
  function measureAll(regions) {
    var all = [];
    var infos = regions.map(function (region, index) {
      var info = { key: regionKey(region, index), region: region, more: moreLine(region), pages: [] };
      info.more.hidden = true;
      all.push(resetItems(region));
      return info;
    });
    var overflowing = infos.filter(function (info, index) {
      info.items = all[index].filter(visible);
      if (info.items.length && overflows(info.region)) return true;
      info.pages = [{ start: 0, end: info.items.length, tall: false }];
      return false;
    });
    overflowing.forEach(function (info) {
      info.more.hidden = false; // its line is part of the page's height
      info.more.textContent = '+0';
    });
    overflowing.forEach(paginate);
    return infos;
  }

  function paginate(info) {
    var box = innerBox(info.region);
    var rows = [];
    info.items.forEach(function (item, i) {
      var r = item.getBoundingClientRect();
      var row = rows[rows.length - 1];
      if (row && Math.abs(r.top - row.top) < 2) { row.end = i + 1; row.bottom = Math.max(row.bottom, r.bottom); }
      else rows.push({ start: i, end: i + 1, top: r.top, bottom: r.bottom });
    });
    var page = null;
    rows.forEach(function (row) {
      if (page && row.bottom - page.top <= box.height + 0.5) { page.end = row.end; return; }
      page = { start: row.start, end: row.end, top: row.top, tall: row.bottom - row.top > box.height + 0.5 };
      info.pages.push(page);
    });
  }

  function pageOf(info, item) {
    var i = info.items.indexOf(item);
    for (var p = 0; p < info.pages.length; p++) if (i >= info.pages[p].start && i < info.pages[p].end) return p;
    return -1;
  }

  function currentPage(info) {
    var count = info.pages.length;
    if (count < 2) return 0;
    var pin = pins[info.key];
    if (pin && pin.until > Date.now()) {
      var p = pageOf(info, pin.item);
      if (p >= 0) { starts[info.key] = tick - p; return p; }
    }
    var start = starts[info.key] || 0;
    return (((tick - start) % count) + count) % count;
  }

  function show(info) {
    var count = info.pages.length;
    var index = currentPage(info);
    var page = info.pages[index] || { start: 0, end: info.items.length };
    info.items.forEach(function (item, i) { item.classList.toggle('pg-out', i < page.start || i >= page.end); });
    var hidden = info.items.length - (page.end - page.start);
    if (page.tall) hidden += clampTall(info, page);
    info.more.hidden = count < 2 && !hidden;
    if (!info.more.hidden) {
      info.more.textContent = (hidden ? '+' + hidden + ' ' + label('more', 'lagi') : '') +
        (count > 1 ? (hidden ? ' · ' : '') + (index + 1) + '/' + count : '');
    }
    info.region.setAttribute('data-page', String(index + 1));
    info.region.setAttribute('data-pages', String(count));
  }

  // A row taller than its list: each item in it shows the sub-items that fit, and says
  // how many more it has; an item without sub-items is cut with a visible mark. A group
  // card without a title of its own keeps its first idea: that idea is its title.
  // Hidden sub-items keep their place in CSS counters ("Ide: 5"): pg-sub-out, not
  // display none.
  function clampTall(info, page) {
    var box = innerBox(info.region), bottom = box.top + box.height;
    for (var i = page.start; i < page.end; i++) {
      var item = info.items[i], list = subList(item);
      if (item.getBoundingClientRect().bottom <= bottom + 0.5) continue;
      if (!list) { item.classList.add('pg-clipped'); continue; }
      var subs = Array.prototype.filter.call(list.children, function (li) { return li.getClientRects().length; });
      var cut = 0, keep = item.matches('.group-card:not(.has-title)') ? 1 : 0;
      // First, from this one layout, the sub-items that end below what the card can
      // show (a group of twenty on a 768-line screen loses most of them); then one at a
      // time, now that the "+N" line takes its room: each of those steps lays the page
      // out again.
      var limit = subs.length ? subs[subs.length - 1].getBoundingClientRect().bottom -
        (item.getBoundingClientRect().bottom - bottom - 0.5) : 0;
      while (subs.length - cut > keep + 1 && subs[subs.length - cut - 1].getBoundingClientRect().bottom > limit) cut += 1;
      for (var c = 1; c <= cut; c++) subs[subs.length - c].classList.add('pg-sub-out');
      if (cut) subNote(list, cut);
      while (subs.length - cut > keep && item.getBoundingClientRect().bottom > bottom + 0.5) {
        cut += 1;
        subs[subs.length - cut].classList.add('pg-sub-out');
        subNote(list, cut);
      }
      if (item.getBoundingClientRect().bottom > bottom + 0.5) item.classList.add('pg-clipped');
    }
    return 0; // the sub-items are counted on their own card
  }

  function subNote(list, cut) {
    var note = list.nextElementSibling;
    if (!note || !note.classList.contains('sub-more')) {
      note = document.createElement('p');
      note.className = 'sub-more pg-own';
      list.insertAdjacentElement('afterend', note);
    }
    note.hidden = false;
    note.textContent = '+' + cut + ' ' + label('more', 'lagi');
  }

  function counts() {
    var els = document.querySelectorAll('[data-count-of]');
    // Every count read before any is written: a write between reads lays the page out again.
    var numbers = Array.prototype.map.call(els, function (counter) {
      var region = document.getElementById(counter.getAttribute('data-count-of'));
      if (!region) return null;
      var n = 0;
      for (var el = region.firstElementChild; el; el = el.nextElementSibling) {
        // Shown, or on another page; not what CSS filters away (another dimension).
        if (!el.classList.contains('pg-own') && (el.classList.contains('pg-out') || el.getClientRects().length)) n++;
      }
      return String(n);
    });
    numbers.forEach(function (n, i) { if (n !== null && els[i].textContent !== n) els[i].textContent = n; });
    // The idea wall's ideas per dimension follow its cards (the cloud's come with it).
    var wall = document.getElementById('wall');
    if (!wall) return;
    var dims = document.querySelectorAll('.wall-board [data-count-dim]');
    for (var d = 0; d < dims.length; d++) {
      var num = String(wall.querySelectorAll('.idea-card.dim-' + dims[d].getAttribute('data-count-dim')).length);
      if (dims[d].textContent !== num) dims[d].textContent = num;
    }
  }

  // --- fitting the text to the screen --------------------------------------------------
  function setVar(name, value) { body().style.setProperty(name, String(value)); }

  // Region by region, so that the first one that overflows ends the try before the
  // others are laid out in full (their items stay on the page the last layout gave them).
  function regionsFit(regions) {
    var main = document.getElementById('main');
    if (main && overflows(main)) return false;
    for (var i = 0; i < regions.length; i++) {
      resetItems(regions[i]);
      var more = regions[i].nextElementSibling;
      if (more && more.classList.contains('pager-more')) more.hidden = true;
      if (overflows(regions[i])) return false;
    }
    return true;
  }

  // Columns at least COLUMN_EM wide; when they do not fit in one row, rows of equal
  // length (7 → 4 + 3), not a full row and a stub. Every grid is read before any is
  // written.
  var COLUMN_EM = 10.5;
  function balanceGrids() {
    var grids = Array.prototype.slice.call(document.querySelectorAll('#main .board-grid'));
    var cols = grids.map(function (grid) {
      var n = 0;
      for (var el = grid.firstElementChild; el; el = el.nextElementSibling) if (el.getClientRects().length) n++;
      var style = getComputedStyle(grid);
      var width = grid.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      var gap = parseFloat(style.columnGap) || 0;
      var fit = Math.max(1, Math.floor((width + gap) / (COLUMN_EM * parseFloat(style.fontSize) + gap)));
      var rows = Math.ceil(Math.max(n, 1) / fit);
      return String(Math.max(1, Math.ceil(n / rows)));
    });
    grids.forEach(function (grid, g) { grid.style.setProperty('--cols', cols[g]); });
  }

  // The largest size that fits. A full board (300 ideas) fits at none and turns pages
  // at the smallest: that is tried first, and settles it in one try instead of five
  // (each a layout of the whole page at another font size). Otherwise the rest by
  // halving: larger text never takes less room.
  function chooseFit(regions, grew) {
    // Content only grew: the last size is the largest that can still fit.
    var lo = grew && lastFit != null ? Math.max(0, FITS.indexOf(lastFit)) : 0;
    var hi = FITS.length - 1, current = null; // the size set now
    function use(i) {
      if (current === i) return;
      current = i;
      setVar('--fit', FITS[i]);
      balanceGrids();
    }
    function fits(i) { use(i); return regionsFit(regions); }
    if (lo < hi && fits(hi)) {
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (fits(mid)) hi = mid; else lo = mid + 1;
      }
    } else {
      lo = hi;
    }
    use(lo);
    return FITS[lo];
  }

  function fitCloud() {
    var cloud = document.getElementById('cloud');
    var words = cloud && cloud.querySelector('.cloud-words');
    if (!words) return;
    var items = Array.prototype.slice.call(words.children);
    items.forEach(function (w) { w.classList.remove('pg-out'); });
    var more = cloud.querySelector('.cloud-more');
    for (var i = 0; i < CLOUD_FITS.length; i++) {
      setVar('--cloud', CLOUD_FITS[i]);
      if (!overflows(cloud)) { if (more) more.textContent = ''; return; }
    }
    // Still too many at the smallest size (the body text's): the least frequent go.
    var byRank = items.slice().sort(function (a, b) { return b.getAttribute('data-rank') - a.getAttribute('data-rank'); });
    var cut = 0;
    while (cut < byRank.length - 1 && overflows(cloud)) { byRank[cut].classList.add('pg-out'); cut++; }
    if (more) more.textContent = cut ? ' · +' + cut + ' ' + label('words', 'kata lagi') : '';
  }

  // A long prompt gets smaller (down to PROMPT_SIZES' last) before it is cut short.
  var PROMPT_SIZES = [1, 0.88, 0.77, 0.68];
  function fitPrompt() {
    var prompt = document.querySelector('.board-prompt');
    if (!prompt) return;
    for (var i = 0; i < PROMPT_SIZES.length; i++) {
      prompt.style.setProperty('--prompt', String(PROMPT_SIZES[i]));
      if (prompt.scrollHeight <= prompt.clientHeight + 1) return;
    }
  }

  function layout(reason) {
    layoutQueued = false;
    var b = body();
    setVar('--user', SCALES[scaleIndex()]);
    fitPrompt();
    var regions = Array.prototype.slice.call(document.querySelectorAll('#main [data-pager]'));
    if (b.classList.contains('bv-cloud') && !b.classList.contains('board-is-hidden') && !b.classList.contains('has-focus')) {
      setVar('--fit', 1);
      fitCloud();
    } else {
      lastFit = chooseFit(regions, reason === 'grew');
    }
    infos = measureAll(regions);
    infos.forEach(show);
    counts();
    watchSizes(regions);
    if (document.fonts && document.fonts.status === 'loading') laidOutWhileFontsLoaded = true;
    layouts += 1;
    b.setAttribute('data-layouts', String(layouts));
  }

  function queueLayout(reason) {
    if (layoutQueued) return;
    layoutQueued = true;
    var why = reason;
    window.requestAnimationFrame(function () { layout(why); });
  }

  // A list whose box changes size for a reason of its own (grouping.js shows the
  // "new group" zones, a hint appears) is laid out again. Our own changes settle: the
  // second layout gives the same sizes, and the observer only reports a change.
  // A list whose box changes size for a reason of its own (grouping.js shows the "new
  // group" zones, a hint appears, the window is resized) is laid out again. Not for
  // the sizes our own layout just made (its "+N" line takes a line from its list):
  // the layout notes them, and the observer, which also reports each list once when
  // it starts watching, compares with them. For a board of 170 group cards a second
  // layout cost half a second.
  var sized = new WeakMap(); // list → "w×h" after the last layout
  var watched = new WeakSet();
  function sizeOf(el) { return el.clientWidth + 'x' + el.clientHeight; }
  var sizes = window.ResizeObserver ? new ResizeObserver(function (entries) {
    var changed = false;
    entries.forEach(function (entry) {
      var now = sizeOf(entry.target);
      if (sized.get(entry.target) !== now) changed = true;
      sized.set(entry.target, now);
    });
    if (changed) queueLayout('resized');
  }) : null;
  function watchSizes(regions) {
    regions.forEach(function (region) { sized.set(region, sizeOf(region)); });
    if (!sizes) return;
    regions.forEach(function (region) {
      if (watched.has(region)) return;
      watched.add(region);
      sizes.observe(region);
    });
  }

  function showAll() { infos.forEach(function (info) { if (info.region.isConnected) show(info); }); }

  function turn(step) {
    tick += step;
    pins = {};
    manualUntil = Date.now() + MANUAL_MS;
    showAll();
  }

  function autoTurn() {
    if (Date.now() < manualUntil || document.hidden || !helpBox().hidden) return;
    var many = infos.some(function (info) { return info.pages.length > 1; });
    if (!many) return;
    tick += 1;
    showAll();
  }

  // New items (the live stream) are shown for a while; anything else only re-lays out.
  function ownNodesOnly(rec) {
    var nodes = Array.prototype.concat.call([], Array.prototype.slice.call(rec.addedNodes),
                                            Array.prototype.slice.call(rec.removedNodes));
    return nodes.length > 0 && nodes.every(function (n) { return n.nodeType === 1 && n.classList.contains('pg-own'); });
  }

  function watch() {
    var observer = new MutationObserver(function (records) {
      var grew = false, relevant = false;
      records.forEach(function (rec) {
        var target = rec.target.nodeType === 1 ? rec.target : rec.target.parentElement;
        if (!target || target.closest('.pg-own, .timer, #board-toast, #ticker, .board-help, [data-count-of], [data-count-dim]')) return;
        if (rec.type === 'childList' && ownNodesOnly(rec)) return; // a "+N" line the layout added
        relevant = true;
        for (var i = 0; i < rec.addedNodes.length; i++) {
          var node = rec.addedNodes[i];
          if (node.nodeType !== 1 || node.classList.contains('pg-own')) continue;
          var region = node.parentElement && node.parentElement.closest('[data-pager]');
          if (region && node.parentElement === region) {
            grew = true;
            pins[regionKey(region, -1)] = { item: node, until: Date.now() + NEW_MS };
          }
        }
      });
      if (relevant) queueLayout(grew ? 'grew' : 'changed');
    });
    observer.observe(body(), { childList: true, subtree: true, characterData: true });
  }

  // --- the facilitator's controls ------------------------------------------------------
  function api(method, path, data) {
    var id = body().getAttribute('data-session');
    return fetch('/api/v1/sessions/' + id + path, {
      method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data)
    }).then(function (r) {
      if (r.ok) return r.json();
      return r.json().then(function (j) { toast(typeof j.detail === 'string' ? j.detail : r.status); },
                           function () { toast(String(r.status)); });
    }, function () { toast(label('offline', 'Offline')); });
  }

  function toast(text) {
    var box = document.getElementById('board-toast');
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  function toggleHidden() { api('PATCH', '', { board_hidden: body().getAttribute('data-board-hidden') !== '1' }); }
  function toggleJoin(open) {
    var now = body().getAttribute('data-join-panel') === '1';
    api('PATCH', '', { show_join_panel: open == null ? !now : open });
  }
  function nextView() {
    var i = VIEWS.indexOf(body().getAttribute('data-board-view'));
    api('PATCH', '', { board_view: VIEWS[(i + 1) % VIEWS.length] });
  }
  function timerKey() {
    var el = document.getElementById('timer');
    var state = el ? el.getAttribute('data-state') : 'stopped';
    if (state === 'running') api('PUT', '/timer', { action: 'pause' });
    else if (state === 'paused') api('PUT', '/timer', { action: 'resume' });
    else api('PUT', '/timer', { action: 'start', seconds: TIMER_DEFAULT_S });
  }

  function scaleIndex() {
    var i = parseInt(read('scale', '0'), 10);
    return i >= 0 && i < SCALES.length ? i : 0;
  }
  function scaleBy(step) {
    write('scale', Math.max(0, Math.min(SCALES.length - 1, scaleIndex() + step)));
    lastFit = null;
    queueLayout('scale');
  }

  function fullscreen() {
    if (document.fullscreenElement) { if (document.exitFullscreen) document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
  }

  function helpBox() { return document.getElementById('board-help') || { hidden: true }; }
  function toggleHelp(open) {
    var box = document.getElementById('board-help');
    if (!box) return;
    box.hidden = open == null ? !box.hidden : !open;
  }

  function dark() { return read('theme', 'light') === 'dark'; }
  function showTheme() { body().classList.toggle('theme-dark', dark()); }
  function toggleTheme() { write('theme', dark() ? 'light' : 'dark'); showTheme(); }

  // --- the sound at zero -----------------------------------------------------------------
  function muted() { return read('muted', '0') === '1'; }
  function showMute() { body().classList.toggle('is-muted', muted()); }
  function toggleMute() { write('muted', muted() ? '0' : '1'); showMute(); }

  function audioContext() {
    if (!audio) {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return null;
      audio = new Ctx();
    }
    return audio;
  }

  // Browsers start sound only after a gesture on the page: the first key or click.
  function unlockAudio() { var a = audioContext(); if (a && a.state === 'suspended') a.resume(); }

  function ring() {
    if (muted()) return;
    var a = audioContext();
    if (!a) return;
    if (a.state === 'suspended') a.resume();
    [0, 0.4, 0.8].forEach(function (at) {
      var osc = a.createOscillator(), gain = a.createGain(), t = a.currentTime + at;
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.5, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.32);
      osc.connect(gain);
      gain.connect(a.destination);
      osc.start(t);
      osc.stop(t + 0.34);
    });
  }

  // --- the word cloud follows the ideas ----------------------------------------------------
  function refreshCloud() {
    if (cloudTimer) return;
    cloudTimer = setTimeout(function () {
      cloudTimer = null;
      cloudLast = Date.now();
      var cloud = document.getElementById('cloud');
      if (!cloud) return;
      fetch(cloud.getAttribute('data-cloud-url'), { credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html != null && cloud.isConnected) { cloud.innerHTML = html; queueLayout('cloud'); } },
              function () { /* the next idea tries again */ });
    }, Math.max(0, cloudLast + CLOUD_GAP_MS - Date.now()));
  }

  // --- wiring ------------------------------------------------------------------------------
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest('input, textarea, select, [contenteditable], details[open]')) return;
    unlockAudio();
    switch (e.key) {
      case 'f': case 'F': fullscreen(); break;
      case 'ArrowRight': case 'PageDown': case 'ArrowDown': turn(1); break;
      case 'ArrowLeft': case 'PageUp': case 'ArrowUp': turn(-1); break;
      case ' ': case 'b': case 'B': case '.': toggleHidden(); break;
      case 't': case 'T': timerKey(); break;
      case 'v': case 'V': nextView(); break;
      case 'j': case 'J': toggleJoin(); break;
      case '+': case '=': scaleBy(1); break;
      case '-': case '_': scaleBy(-1); break;
      case 'm': case 'M': toggleMute(); break;
      case 'd': case 'D': toggleTheme(); break;
      case '?': case 'h': case 'H': toggleHelp(); break;
      case 'Escape': toggleHelp(false); return;
      default: return;
    }
    e.preventDefault();
  }

  function onClick(e) {
    unlockAudio();
    var button = e.target.closest && e.target.closest('[data-action]');
    if (!button) return;
    var action = button.getAttribute('data-action');
    if (action === 'help') toggleHelp();
    else if (action === 'fullscreen') fullscreen();
    else if (action === 'mute') toggleMute();
    else if (action === 'theme') toggleTheme();
    else if (action === 'larger') scaleBy(1);
    else if (action === 'smaller') scaleBy(-1);
    else if (action === 'join-panel') toggleJoin(true);
    else if (action === 'join-panel-hide') toggleJoin(false);
    else return;
    e.preventDefault();
  }

  function start() {
    showMute();
    showTheme();
    watch();
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    document.addEventListener('rembuk:turn', function (e) { turn(e.detail && e.detail.step < 0 ? -1 : 1); });
    document.addEventListener('rembuk:timeup', ring);
    document.addEventListener('rembuk:cloud', refreshCloud);
    document.addEventListener('rembuk:reloaded', function () { showMute(); showTheme(); lastFit = null; queueLayout('page'); });
    window.addEventListener('resize', function () { lastFit = null; queueLayout('resize'); });
    // Web fonts still loading when the board was laid out change its sizes when they
    // arrive; system fonts (what the board uses today) never are.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { if (laidOutWhileFontsLoaded) queueLayout('fonts'); });
    }
    setInterval(autoTurn, PAGE_MS);
    layout('load');
  }

  window.RembukBoard = {
    layout: function () { lastFit = null; layout('test'); },
    turn: turn,
    pages: function () { return infos.map(function (i) { return { key: i.key, pages: i.pages.length }; }); }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
