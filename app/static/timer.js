/* Rembuk timer: every screen counts down to the same instant.
   #timer carries the server's state (data-state running|paused|stopped, data-ends-at
   ISO, data-remaining and data-duration in seconds, data-lock-at-zero); the live
   stream sets them (live.js `attr` ops). This device's clock is corrected to the
   server's (RembukLive.now(): <body data-server-now> and the stream's `clock` event),
   so a phone whose clock is minutes off shows the same second as the projector.
   - the last minute: .is-ending (amber); zero while running: .is-over, and once
     `rembuk:timeup` on document (the projector plays its sound);
   - <body data-input-closed="locked|time_up"> while phones may not send: the
     facilitator's lock (#main[data-input-locked]) or the timer at zero with
     data-lock-at-zero. The server refuses such a send anyway (409); this only says so
     before anyone types. ES2017. */
(function () {
  'use strict';
  var TICK_MS = 200, ENDING_S = 60;
  var wasOver = null; // null: not known yet (a page opened after zero stays quiet)
  var running = false, ticker = null;

  function now() {
    return window.RembukLive && window.RembukLive.now ? window.RembukLive.now() : Date.now();
  }

  function secondsLeft(el) {
    var state = el.getAttribute('data-state');
    if (state === 'running') {
      var ends = Date.parse(el.getAttribute('data-ends-at') || '');
      if (!isFinite(ends)) return 0;
      return Math.max(0, Math.ceil((ends - now()) / 1000));
    }
    if (state === 'paused') return Math.max(0, parseInt(el.getAttribute('data-remaining'), 10) || 0);
    return 0;
  }

  function format(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? (m < 10 ? '0' : '') + m : String(m);
    return (h ? h + ':' : '') + mm + ':' + (r < 10 ? '0' : '') + r;
  }

  function tick() {
    var el = document.getElementById('timer');
    var over = false, lockAtZero = false;
    if (el) {
      var state = el.getAttribute('data-state') || 'stopped';
      var left = secondsLeft(el);
      var duration = parseInt(el.getAttribute('data-duration'), 10) || 0;
      // A clock estimate a few ms late would show 3:01 on a fresh 3-minute timer.
      if (duration && left > duration) left = duration;
      // Paused at zero is still zero: time is up until someone adds time or stops it.
      over = state !== 'stopped' && left === 0;
      lockAtZero = el.hasAttribute('data-lock-at-zero');
      el.hidden = state === 'stopped';
      var text = el.querySelector('.timer-text');
      var shown = format(left);
      if (text && text.textContent !== shown) text.textContent = shown;
      el.classList.toggle('is-running', state === 'running');
      el.classList.toggle('is-paused', state === 'paused');
      el.classList.toggle('is-ending', state !== 'stopped' && left > 0 && left <= ENDING_S);
      el.classList.toggle('is-over', over);
      // On a child without an id: htmx copies the attributes of an element it swaps by
      // id, and a style attribute set that way is refused by the page's CSP.
      var bar = el.querySelector('.timer-bar');
      var done = duration ? String(Math.max(0, Math.min(1, 1 - left / duration))) : '0';
      if (bar && bar.style.getPropertyValue('--timer-done') !== done) bar.style.setProperty('--timer-done', done);
      running = state === 'running';
    } else {
      running = false;
    }
    var main = document.getElementById('main');
    var closed = main && main.hasAttribute('data-input-locked') ? 'locked' : (over && lockAtZero ? 'time_up' : '');
    var body = document.body;
    if ((body.getAttribute('data-input-closed') || '') !== closed) {
      if (closed) body.setAttribute('data-input-closed', closed);
      else body.removeAttribute('data-input-closed');
    }
    if (over && wasOver === false) document.dispatchEvent(new CustomEvent('rembuk:timeup'));
    wasOver = over;
    // Only a running timer changes by itself: a stopped or paused one changes through
    // the stream (the events below), so a phone's page does not wake five times a
    // second all day for nothing.
    if (running && !ticker) ticker = setInterval(tick, TICK_MS);
    else if (!running && ticker) { clearInterval(ticker); ticker = null; }
  }

  function start() {
    tick();
    // A change from the stream shows at once, not at the next tick.
    document.addEventListener('rembuk:applied', tick);
    document.addEventListener('rembuk:clock', tick);
    document.addEventListener('rembuk:reloaded', function () { wasOver = null; tick(); });
    document.addEventListener('htmx:afterSettle', tick);
  }

  window.RembukTimer = { secondsLeft: function () { var el = document.getElementById('timer'); return el ? secondsLeft(el) : 0; } };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
