/* Rembuk phone service worker (served as /s/sw.js, scope /s/): a phone page opened
   again without network shows its last copy (the form, and outbox.js's kept items),
   and the phone's files come from the cache while the hall's Wi-Fi is away.
   - a phone page (/s/<id>): the network first, the last copy when the network fails
     or takes more than NAV_WAIT_MS (the copy is refreshed in the background then);
   - the phone's files (/static/…, the pinned htmx on the CDN): the cached copy at
     once, refreshed in the background;
   - everything else (forms, fragments, the live stream): the network, untouched.
   The cache is named after the release's assets (?v=), so a new release starts clean. */
'use strict';

var VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
var CACHE = 'rembuk-phone-' + VERSION;
var NAV_WAIT_MS = 4000;
var PHONE_PAGE = /^\/s\/\d+$/;

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf('rembuk-phone-') === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageFromNetworkOrCopy(request, path) {
  return caches.open(CACHE).then(function (cache) {
    var fresh = fetch(request).then(function (response) {
      if (response.ok) cache.put(path, response.clone());
      return response;
    });
    var late = new Promise(function (resolve) { setTimeout(resolve, NAV_WAIT_MS); });
    return Promise.race([fresh, late.then(function () { return cache.match(path).then(function (copy) { return copy || fresh; }); })])
      .catch(function () {
        return cache.match(path).then(function (copy) { return copy || Response.error(); });
      });
  });
}

function fileFromCopyThenNetwork(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (copy) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (copy) { fresh.catch(function () {}); return copy; }
      return fresh;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  if ((request.headers.get('accept') || '').indexOf('text/event-stream') !== -1) return;
  var url = new URL(request.url);
  var own = url.origin === self.location.origin;
  if (own && request.mode === 'navigate' && PHONE_PAGE.test(url.pathname)) {
    event.respondWith(pageFromNetworkOrCopy(request, url.pathname));
  } else if ((own && url.pathname.indexOf('/static/') === 0) || url.href.indexOf('https://cdn.jsdelivr.net/npm/htmx.org@') === 0) {
    event.respondWith(fileFromCopyThenNetwork(request));
  }
});
