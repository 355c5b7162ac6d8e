/* A "Copy" button beside a read-only field: <button data-copy="ID" data-copied="Copied">.
   Selecting the text first keeps it copyable by hand where the clipboard is refused. */
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('[data-copy]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    field.select();
    var done = function () { button.textContent = button.getAttribute('data-copied') || button.textContent; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    }
  });
})();
