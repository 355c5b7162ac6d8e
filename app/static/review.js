/* Rembuk: one key per decision in the console's review list of suggested groups
   and dimensions (fragments/_suggestion_review.html). The forms work without it;
   this moves a focus through the list (roving tabindex) and presses the focused
   suggestion's own buttons, so every decision still goes through the form.

   Anywhere on the page (not while typing): g / d focus the suggested groups / dimensions.
   In a list: j or ↓ next, k or ↑ previous, Enter or a accept, x or Delete dismiss
   (gone from this view; kept in the address so it stays away after the next accept),
   Shift+A accept all (dimensions: all at or above the threshold). Groups only: r
   renames (the title field: Enter accepts, Escape goes back), 1–9 take the n-th idea
   out (or back in).
   After an accept the page comes back at the list (#group-suggestions or
   #dimension-suggestions) and the focus is on its first suggestion. ES2017. */
(function () {
  'use strict';

  function items(card) { return Array.prototype.slice.call(card.querySelectorAll('.review-item')); }

  function focusItem(card, item) {
    items(card).forEach(function (i) { i.tabIndex = -1; });
    if (!item) {
      var heading = card.querySelector('h2');
      heading.tabIndex = -1;
      heading.focus();
      return;
    }
    item.tabIndex = 0;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: 'nearest' });
  }

  function first(card) {
    return card.querySelector('.review-item[tabindex="0"]') || card.querySelector('.review-item');
  }

  function press(scope, role) {
    var button = scope && scope.querySelector('[data-role="' + role + '"]');
    if (button) button.click();
  }

  function count(card) {
    var pill = card.querySelector('.count-pill');
    if (pill) pill.textContent = String(items(card).length);
  }

  function dismiss(card, item) {
    var all = items(card), at = all.indexOf(item), key = item.getAttribute('data-key');
    document.querySelectorAll('.review-form').forEach(function (form) {
      var kept = document.createElement('input');
      kept.type = 'hidden';
      kept.name = 'dismissed';
      kept.value = key;
      form.appendChild(kept);
    });
    var url = new URL(location.href);
    url.searchParams.append('dismissed', key);
    history.replaceState(history.state, '', url.pathname + url.search + '#' + card.id);
    item.remove();
    count(card);
    var rest = items(card);
    focusItem(card, rest[Math.min(at, rest.length - 1)]);
  }

  function toggleIdea(item, n) {
    var box = item.querySelectorAll('[data-role="idea"]')[n - 1];
    if (box) box.checked = !box.checked;
  }

  function typingIn(target) {
    return target.matches('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea, select, [contenteditable]');
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target instanceof Element ? e.target : document.body;
    var card = target.closest('[data-review]');
    if (typingIn(target)) {
      if (!card) return;
      var row = target.closest('.review-item');
      if (target.getAttribute('data-role') === 'title' && e.key === 'Enter') { e.preventDefault(); press(row, 'accept'); }
      else if (target.getAttribute('data-role') === 'title' && e.key === 'Escape') { e.preventDefault(); focusItem(card, row); }
      else if (target.name === 'threshold' && e.key === 'Enter') { e.preventDefault(); press(card, 'accept-all'); }
      return;
    }
    if (e.key === 'g' || e.key === 'd') {
      var to = document.getElementById(e.key === 'g' ? 'group-suggestions' : 'dimension-suggestions');
      if (to) { e.preventDefault(); focusItem(to, first(to)); }
      return;
    }
    if (!card) return;
    var item = target.closest('.review-item');
    var onButton = target.tagName === 'BUTTON';
    switch (e.key) {
      case 'j': case 'ArrowDown': case 'k': case 'ArrowUp': {
        e.preventDefault();
        var all = items(card), at = item ? all.indexOf(item) : -1;
        var by = (e.key === 'j' || e.key === 'ArrowDown') ? 1 : -1;
        focusItem(card, all[Math.min(Math.max(at + by, 0), all.length - 1)]);
        return;
      }
      case 'A':
        e.preventDefault();
        press(card, 'accept-all');
        return;
    }
    if (!item) return;
    if (e.key === 'Enter' || e.key === 'a') {
      if (onButton && e.key === 'Enter') return; // the button's own Enter
      e.preventDefault();
      press(item, 'accept');
    } else if (e.key === 'x' || e.key === 'Delete') {
      e.preventDefault();
      dismiss(card, item);
    } else if (e.key === 'r') {
      var title = item.querySelector('[data-role="title"]');
      if (title) { e.preventDefault(); title.focus(); title.select(); }
    } else if (/^[1-9]$/.test(e.key)) {
      e.preventDefault();
      toggleIdea(item, Number(e.key));
    }
  }

  function onThreshold(e) {
    var input = e.target;
    if (input.name !== 'threshold' || !input.closest('[data-review]')) return;
    var card = input.closest('[data-review]');
    var least = Number(input.value);
    if (!isFinite(least)) return;
    var label = card.querySelector('[data-role="threshold-label"]');
    if (label) label.textContent = String(least);
    items(card).forEach(function (row) {
      row.classList.toggle('is-sure', Number(row.getAttribute('data-confidence')) * 100 >= least - 1e-6);
    });
    document.querySelectorAll('.review-form input[type=hidden][name=threshold]').forEach(function (kept) { kept.value = input.value; });
  }

  function start() {
    document.addEventListener('keydown', onKey);
    document.addEventListener('input', onThreshold);
    // Focus comes back to the list a decision was made in (the 303 lands on its anchor),
    // or to the list that shows an error.
    var card = null;
    if (location.hash === '#group-suggestions' || location.hash === '#dimension-suggestions') {
      card = document.getElementById(location.hash.slice(1));
    }
    var refused = document.querySelector('[data-review] .alert-error');
    if (refused) card = refused.closest('[data-review]');
    if (!card) return;
    // After the load: Chrome scrolls to the address's #anchor then, which clears a focus
    // given earlier (the section itself is not focusable).
    var land = function () { requestAnimationFrame(function () { focusItem(card, first(card)); }); };
    if (document.readyState === 'complete') land();
    else window.addEventListener('load', land, { once: true });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
