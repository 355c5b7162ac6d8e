/* Load the vendored htmx when the CDN copy did not load (venue LAN, no internet).
   Include right after the CDN tag, both with `defer` (deferred scripts run in order):
   <script defer src="CDN" integrity="SRI" crossorigin="anonymous"></script>
   <script defer src="/static/htmx-fallback.js" data-local-src="/static/vendor/htmx-2.0.11.min.js"></script>
   htmx 2 initialises on DOMContentLoaded, or at once if readyState is 'complete'.
   A script added here runs after DOMContentLoaded but before 'complete', and htmx
   would then never process the page; so the local copy is added once the window
   'load' event has fired (readyState is 'complete' by then). */
(function () {
  'use strict';
  if (window.htmx) return;
  var me = document.currentScript;
  var src = (me && me.getAttribute('data-local-src')) || '/static/vendor/htmx-2.0.11.min.js';
  function add() {
    var s = document.createElement('script');
    s.src = src;
    document.head.appendChild(s);
  }
  if (document.readyState === 'complete') add();
  else window.addEventListener('load', add, { once: true });
})();
