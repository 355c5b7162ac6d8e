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

  document.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('textarea[aria-describedby]')) updateCounter(e.target);
  });
  document.addEventListener('change', function (e) {
    if (e.target.name === 'dimension' && e.target.form) filterSubElements(e.target.form);
  });
  // Forms swapped in by htmx or the live stream.
  document.addEventListener('htmx:load', function (e) { prepare(e.target); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { prepare(document); });
  else prepare(document);
})();
