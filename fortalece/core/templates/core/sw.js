{% autoescape off %}/* Fortalece's service worker: the app on a phone with a weak signal.
 * - static files: kept when the worker installs (this version), served from the phone;
 * - learner pages (lessons, quizzes, assignments, My learning): network first, the copy on
 *   the phone when there is no connection; pages the learner chose "save for offline" stay;
 * - any other page without a connection: the offline page;
 * - web push: {title, body, url} shown as a notification; a tap opens or focuses the page.
 * Answers written offline are kept and sent by the pages' outbox (outbox.js), not here. */
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = "fortalece-static-" + VERSION;
const PAGES_CACHE = "fortalece-pages";
const SAVED_CACHE = "fortalece-saved";
const PRECACHE = {{ precache }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_PREFIX = {{ static_prefix }};
const LEARNER_PAGES = {{ learner_pages }}.map((source) => new RegExp(source));
const ICON = {{ icon }};
const BADGE = {{ badge }};
// Pages opened (not chosen) kept at most: the oldest go first.
const PAGES_KEPT = 60;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("fortalece-static-") && name !== STATIC_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function isLearnerPage(url) {
  return LEARNER_PAGES.some((pattern) => pattern.test(url.pathname));
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - PAGES_KEPT; i += 1) {
    await cache.delete(keys[i]);
  }
}

async function fromStatic(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (keepable(response)) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function offlinePage() {
  return (await caches.match(OFFLINE_URL, { ignoreVary: true }))
    || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      const copy = response.clone();
      const saved = await caches.open(SAVED_CACHE);
      if (await saved.match(request, { ignoreVary: true })) {
        await saved.put(request, copy.clone());  // a saved page stays up to date
      }
      const pages = await caches.open(PAGES_CACHE);
      await pages.delete(request, { ignoreVary: true });
      await pages.put(request, copy);  // last in the list: trimmed last
      await trim(pages);
    }
    return response;
  } catch (error) {
    const kept = (await (await caches.open(SAVED_CACHE)).match(request, { ignoreVary: true }))
      || (await (await caches.open(PAGES_CACHE)).match(request, { ignoreVary: true }));
    if (kept) {
      return kept;
    }
    if (request.mode === "navigate") {
      return offlinePage();
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;  // answers (POST) go to the network; the outbox keeps them when it fails
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(fromStatic(request));
  } else if (isLearnerPage(url) && !url.search) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

// Pages ask: keep these addresses ("save for offline"), forget them, or forget everything
// (signing out: nothing personal stays on a shared phone).
async function save(urls) {
  const cache = await caches.open(SAVED_CACHE);
  let kept = 0;
  for (const url of urls) {
    const target = new URL(url, self.location.origin);
    if (target.origin !== self.location.origin) {
      continue;
    }
    try {
      const response = await fetch(target.href, { credentials: "same-origin" });
      if (keepable(response)) {
        await cache.put(target.href, response);
        kept += 1;
      }
    } catch (error) {
      // No connection: what was kept before stays.
    }
  }
  return kept;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (answer) => {
    if (event.ports && event.ports[0]) {
      event.ports[0].postMessage(answer);
    }
  };
  if (data.type === "save" && Array.isArray(data.urls)) {
    event.waitUntil(save(data.urls).then((kept) => reply({ ok: kept > 0, kept })));
  } else if (data.type === "forget" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(SAVED_CACHE)
      .then((cache) => Promise.all(data.urls.map((url) => cache.delete(url))))
      .then(() => reply({ ok: true })));
  } else if (data.type === "clear") {
    event.waitUntil(Promise.all([caches.delete(PAGES_CACHE), caches.delete(SAVED_CACHE)])
      .then(() => reply({ ok: true })));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const target = new URL(data.url || "/", self.location.origin);
  const url = target.origin === self.location.origin ? target.href : self.location.origin + "/";
  event.waitUntil(self.registration.showNotification(String(data.title || "Fortalece"), {
    body: String(data.body || ""),
    icon: ICON,
    badge: BADGE,
    data: { url },
  }));
});

// Where a tap on a notification goes: its URL when it is one of ours, else our start page.
// Checked again here, not only when a push is shown: a notification may carry anything.
function notificationTarget(data) {
  const home = self.location.origin + "/";
  try {
    const target = new URL(String((data && data.url) || "/"), self.location.origin);
    return target.origin === self.location.origin ? target.href : home;
  } catch (error) {
    return home;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = notificationTarget(event.notification.data);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url);
      if (open) {
        return open.focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
{% endautoescape %}
