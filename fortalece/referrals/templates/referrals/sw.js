// Referral pages offline (issue #11): the state's pathways and directory, once visited, open
// without a connection. Network first; the copy is used only when the network fails. Never
// kept: forms, imports, exports, anything but GET. Signed out (the server sends to the sign-in
// page): every copy is deleted.
"use strict";
var CACHE = "fortalece-referrals-v1";

function keep(url) {
  if (url.origin !== self.location.origin) { return false; }
  var p = url.pathname;
  if (/\/(edit|delete|verified|new|import)\/$/.test(p) || p.indexOf("/export.") !== -1 || p.indexOf("/card") !== -1) { return false; }
  return p === "/referrals/" || p.indexOf("/referrals/pathways/") === 0 ||
    p.indexOf("/referrals/directory/") === 0 || p.indexOf("/static/") === 0;
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("fortalece-referrals-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function store(request, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  } else if (response.type === "opaqueredirect" || response.redirected) {
    caches.delete(CACHE);  // signed out, or sent elsewhere: keep nothing
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !keep(new URL(request.url))) { return; }
  event.respondWith(fetch(request).then(function (response) {
    return store(request, response);
  }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});

// The page lists the addresses worth having offline (its state's pathways and directory).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(data.urls.slice(0, 60).filter(function (u) {
      return keep(new URL(u, self.location.origin));
    }).map(function (u) {
      return fetch(u, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
        return r.ok && r.type === "basic" ? cache.put(u, r) : null;
      }).catch(function () { return null; });
    }));
  }).then(function () {
    if (event.source) { event.source.postMessage({ type: "kept" }); }
  }));
});
