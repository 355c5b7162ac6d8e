/* The scribe's fast entry (/console/sessions/<id>/scribe): Enter in the idea's text
   saves it (Ctrl/⌘+Enter too; Shift+Enter is a new line), and after htmx brings the
   form back the text field has the focus again for the next idea. Without this file
   the form still works with its button. */
(function () {
  'use strict';

  function focusText() {
    var text = document.getElementById('scribe-text');
    var name = document.getElementById('scribe-name');
    var target = name && !name.value ? name : text;
    if (target) target.focus();
  }

  document.addEventListener('keydown', function (e) {
    var field = e.target;
    if (!field || field.id !== 'scribe-text' || e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    var form = field.form;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  });

  document.body.addEventListener('htmx:afterSettle', function () {
    var active = document.activeElement;
    if (document.getElementById('scribe-form') && (!active || active === document.body)) focusText();
  });
})();
