/* Rembuk: the console's queue "Menunggu moderasi" (fragments/_held_row.html) by
   keyboard, one key per decision. The forms work without it; this moves a focus
   through the queue and presses the focused idea's own buttons.

   Anywhere on the page (not while typing): m goes to the queue. In the queue (or with
   nothing focused and ideas waiting): j or ↓ next, k or ↑ previous, a approve, h hide.
   The count beside the title follows the list, also when the live stream adds or
   removes an idea. ES2017. */
(function () {
  'use strict';

  function list() { return document.getElementById('held-rows'); }
  function rows() { var l = list(); return l ? Array.prototype.slice.call(l.querySelectorAll('.held-row')) : []; }
  var current = -1;

  function focusRow(at) {
    var all = rows();
    all.forEach(function (r) { r.tabIndex = -1; r.classList.remove('is-current'); });
    if (!all.length) { current = -1; return; }
    current = Math.min(Math.max(at, 0), all.length - 1);
    var row = all[current];
    row.tabIndex = 0;
    row.classList.add('is-current');
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
  }

  function typingIn(target) {
    return target.matches('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea, select, [contenteditable]');
  }

  function press(role) {
    var row = rows()[current];
    var button = row && row.querySelector('[data-role="' + role + '"]');
    if (button) button.click();
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target instanceof Element ? e.target : document.body;
    if (typingIn(target) || target.closest('[data-review]')) return;
    var inQueue = !!target.closest('#held-queue');
    var idle = target === document.body || target === document.documentElement;
    if (e.key === 'm') { e.preventDefault(); focusRow(Math.max(current, 0)); return; }
    if (!(inQueue || (idle && rows().length))) return;
    var row = target.closest('.held-row');
    if (row) current = rows().indexOf(row);
    else if (current < 0 || current >= rows().length) current = 0;
    switch (e.key) {
      case 'j': case 'ArrowDown': e.preventDefault(); focusRow(current + 1); return;
      case 'k': case 'ArrowUp': e.preventDefault(); focusRow(current - 1); return;
      case 'a': e.preventDefault(); press('approve'); return;
      case 'h': e.preventDefault(); press('hide'); return;
    }
  }

  function changed() {
    var count = document.getElementById('held-count');
    var all = rows();
    if (count) count.textContent = String(all.length);
    var section = document.getElementById('held-queue');
    if (section) section.classList.toggle('has-held', all.length > 0);
    // A decided row left: the focus goes on to the one that took its place.
    if (current >= 0 && !all.some(function (r) { return r === document.activeElement || r.contains(document.activeElement); })) {
      if (all.length && (document.activeElement === document.body || !document.activeElement)) focusRow(current);
    }
  }

  function start() {
    document.addEventListener('keydown', onKey);
    var l = list();
    if (!l) return;
    new MutationObserver(changed).observe(l, { childList: true });
    changed();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
