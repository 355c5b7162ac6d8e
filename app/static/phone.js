/* Rembuk phone helpers (progressive: every form works without this file).
   - a live character counter under the idea text box;
   - the sub-element list shows only the chosen dimension's sub-elements.
   Delegated listeners, so forms swapped in by htmx need no re-binding. ES2017. */
(function () {
  'use strict';

  function updateCounter(textarea) {
    var out = document.getElementById(textarea.getAttribute('aria-describedby') || '');
    if (!out || !out.hasAttribute('data-max')) return;
    var max = parseInt(textarea.getAttribute('maxlength') || out.getAttribute('data-max'), 10);
    var used = textarea.value.length;
    out.textContent = used + ' / ' + max;
    out.classList.toggle('is-near-limit', used > max * 0.9);
  }

  function filterSubElements(form) {
    var select = form.querySelector('select[name="sub_element"]');
    var chosen = form.querySelector('input[name="dimension"]:checked');
    if (!select) return;
    var code = chosen ? chosen.value : '';
    var groups = select.querySelectorAll('optgroup[data-dimension]');
    for (var i = 0; i < groups.length; i++) {
      var match = groups[i].getAttribute('data-dimension') === code;
      groups[i].hidden = !match;
      groups[i].disabled = !match;
    }
    var option = select.options[select.selectedIndex];
    if (option && option.parentNode.disabled) select.value = '';
    select.disabled = !code;
  }

  function prepare(root) {
    var areas = root.querySelectorAll('textarea[aria-describedby]');
    for (var i = 0; i < areas.length; i++) updateCounter(areas[i]);
    var forms = root.querySelectorAll('form');
    for (var j = 0; j < forms.length; j++) {
      if (forms[j].querySelector('select[name="sub_element"]')) filterSubElements(forms[j]);
    }
  }

  // Larger text and a dark screen: classes on <html>, remembered on this phone.
  var DISPLAY_KEY = 'rembuk-display';
  function displayChoices() {
    try { return JSON.parse(localStorage.getItem(DISPLAY_KEY) || '[]'); } catch (e) { return []; }
  }
  function applyDisplay() {
    var chosen = displayChoices();
    var buttons = document.querySelectorAll('.display-toggle');
    for (var i = 0; i < buttons.length; i++) {
      var name = buttons[i].getAttribute('data-display');
      var on = chosen.indexOf(name) >= 0;
      document.documentElement.classList.toggle(name, on);
      buttons[i].setAttribute('aria-pressed', on ? 'true' : 'false');
      if (buttons[i].parentNode.hidden) buttons[i].parentNode.hidden = false;
    }
  }
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('.display-toggle');
    if (!button) return;
    var name = button.getAttribute('data-display');
    var chosen = displayChoices().filter(function (c) { return c !== name; });
    if (button.getAttribute('aria-pressed') !== 'true') chosen.push(name);
    try { localStorage.setItem(DISPLAY_KEY, JSON.stringify(chosen)); } catch (err) { /* private mode */ }
    applyDisplay();
  });

  // The room's ideas ("Semua ide"): loaded when opened, read again while open when the
  // room changes (each live message), at most every REFRESH_MS and never in the
  // background, so a full hall does not poll the server.
  var REFRESH_MS = 5000, lastRefresh = 0, pending = null;
  function refreshAllIdeas() {
    var box = document.getElementById('all-ideas');
    var form = document.getElementById('all-ideas-filter');
    if (!box || !box.open || !form || !window.htmx || document.visibilityState === 'hidden') return;
    var wait = lastRefresh + REFRESH_MS - Date.now();
    if (wait > 0) { if (!pending) pending = setTimeout(function () { pending = null; refreshAllIdeas(); }, wait); return; }
    lastRefresh = Date.now();
    htmx.trigger(form, 'refresh');
  }
  document.addEventListener('toggle', function (e) {
    if (e.target.id === 'all-ideas' && e.target.open) { lastRefresh = 0; refreshAllIdeas(); }
  }, true);
  document.addEventListener('rembuk:applied', refreshAllIdeas);

  document.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('textarea[aria-describedby]')) updateCounter(e.target);
  });
  document.addEventListener('change', function (e) {
    if (e.target.name === 'dimension' && e.target.form) filterSubElements(e.target.form);
  });
  // Forms swapped in by htmx or the live stream.
  document.addEventListener('htmx:load', function (e) { prepare(e.target); });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { prepare(document); applyDisplay(); });
  } else { prepare(document); applyDisplay(); }
})();
