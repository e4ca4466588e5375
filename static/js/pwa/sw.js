/* JEL's service worker (served as /sw.js by jel.pwa.service_worker, after the
 * rules of rules.mjs, with the release version written in).
 *
 * A page of a signed-in person sends {type: "refresh"}: the worker asks the
 * server which pages that person needs offline (/offline/pages/: home, the
 * capture pages of their visits today and the next days, the app shell) and
 * keeps them in caches named for the person and the release. A page of nobody
 * (signed out) sends {type: "forget"}: every kept page goes.
 *
 * A new release waits until no tab runs the old one (no skipWaiting): a
 * capture in progress keeps its page and scripts; its entries wait in
 * IndexedDB, which a release never touches. The new worker drops the caches
 * of other releases when it takes over.
 */
/* global VERSION, cacheNames, isStale, belongsTo, strategyFor, isKeepable,
   offlineCopyUrl, isCapturePage, OFFLINE_URL, PAGES_URL */

const META_CACHE = "jel-meta";
const PERSON_KEY = "/__jel/person";

async function currentPerson() {
  const meta = await caches.open(META_CACHE);
  const answer = await meta.match(PERSON_KEY);
  return answer ? answer.text() : null;
}

async function setPerson(person) {
  const meta = await caches.open(META_CACHE);
  if (person) await meta.put(PERSON_KEY, new Response(person));
  else await meta.delete(PERSON_KEY);
}

async function dropCaches(keep) {
  for (const name of await caches.keys()) {
    if (name !== META_CACHE && !keep(name)) await caches.delete(name);
  }
}

self.addEventListener("install", () => {
  // Nothing to fetch yet: which pages to keep depends on who signs in.
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropCaches((name) => !isStale(name, VERSION)));
});

/** Whether this worker still answers for the site: a new release may take
 * over while it is keeping pages (it then stops, and its copies go). */
function stillActive() {
  const me = self.serviceWorker;
  return !me || self.registration.active === me;
}

async function retired() {
  if (stillActive()) return false;
  await dropCaches((name) => !name.includes(`-${VERSION}-`));
  return true;
}

// Every signed-in page asks for a refresh. The same person's same pages are
// fetched again only after REFRESH_AFTER_MS, and a shell file already kept for
// this release is not fetched again (its name carries the version): without
// this, each page view cost the server every capture page and shell file again.
// A worker that was stopped forgets `lastRefresh` and simply refreshes.
const REFRESH_AFTER_MS = 5 * 60 * 1000;
let lastRefresh = null;

/** Keep what the person needs offline; answers {pages, bytes}. */
async function refresh() {
  const answer = await fetch(PAGES_URL, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!answer.ok || answer.redirected) return { pages: 0, bytes: 0 };
  const list = await answer.json();
  const person = list.person;
  // Another person signed in on this browser: nothing of theirs stays.
  await dropCaches((name) => name.endsWith(`-${person}`));
  await setPerson(person);
  const key = `${person} ${list.pages.join(" ")}`;
  if (lastRefresh && lastRefresh.key === key && Date.now() - lastRefresh.at < REFRESH_AFTER_MS) {
    return lastRefresh.answer;
  }
  const names = cacheNames(VERSION, person);
  const shell = await caches.open(names.shell);
  const pages = await caches.open(names.pages);
  let bytes = 0;
  let kept = 0;
  for (const url of list.shell) {
    if (await shell.match(url)) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (await retired()) return { pages: 0, bytes: 0 };
      if (isKeepable(response)) {
        bytes += (await response.clone().arrayBuffer()).byteLength;
        await shell.put(url, response);
      }
    } catch (error) {
      // Kept next time.
    }
  }
  for (const url of list.pages) {
    try {
      const response = await fetch(offlineCopyUrl(url), { credentials: "same-origin" });
      if (await retired()) return { pages: 0, bytes: 0 };
      if (isKeepable(response)) {
        bytes += (await response.clone().arrayBuffer()).byteLength;
        await pages.put(url, response);
        kept += 1;
      }
    } catch (error) {
      // Kept next time.
    }
  }
  // Pages of visits no longer listed (past, cancelled) go.
  const wanted = new Set(list.pages.map((url) => new URL(url, self.location.origin).href));
  for (const request of await pages.keys()) {
    if (!wanted.has(request.url)) await pages.delete(request);
  }
  lastRefresh = { key, at: Date.now(), answer: { pages: kept, bytes } };
  return lastRefresh.answer;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (message) => {
    if (event.ports && event.ports[0]) event.ports[0].postMessage(message);
  };
  if (data.type === "refresh") {
    event.waitUntil(
      refresh().then(reply, (error) => reply({ pages: 0, bytes: 0, error: String(error) })),
    );
  } else if (data.type === "forget") {
    lastRefresh = null; // what it counted is about to go
    event.waitUntil(
      setPerson(null)
        .then(() => dropCaches(() => false))
        .then(() => reply({ forgotten: true })),
    );
  } else if (data.type === "sync-waiting") {
    // The page asks for a Background Sync when entries wait (where the browser has it).
    if (self.registration.sync) {
      event.waitUntil(self.registration.sync.register("jel-entries").catch(() => {}));
    }
  }
});

// Background Sync: the connection is back. The open capture pages send their
// queue themselves (they hold the session's CSRF token); the worker wakes them.
self.addEventListener("sync", (event) => {
  if (event.tag !== "jel-entries") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      for (const client of windows) client.postMessage({ type: "send-waiting" });
    }),
  );
});

async function fromCache(request, { ignoreSearch = false } = {}) {
  const person = await currentPerson();
  if (!person) return undefined;
  const names = cacheNames(VERSION, person);
  for (const name of [names.pages, names.shell]) {
    const cache = await caches.open(name);
    // A static file's ?v= (the icon font's) names the same file.
    const answer = await cache.match(request, { ignoreSearch });
    if (answer) return answer;
  }
  return undefined;
}

async function offlinePage() {
  return (
    (await fromCache(OFFLINE_URL)) ||
    new Response("<!doctype html><title>Offline</title><h1>Offline</h1>", {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    })
  );
}

async function networkFirst(event) {
  const request = event.request;
  const url = new URL(request.url);
  const person = await currentPerson();
  try {
    let response;
    if (isCapturePage(url.pathname)) {
      response = await fetch(offlineCopyUrl(url.pathname), { credentials: "same-origin" });
      // A redirect (the session ended) is the browser's to follow.
      if (response.redirected) response = await fetch(request);
    } else {
      response = await fetch(request);
    }
    if (person && isKeepable(response) && stillActive()) {
      const cache = await caches.open(cacheNames(VERSION, person).pages);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await fromCache(url.pathname);
    if (kept) return kept;
    return request.mode === "navigate" ? offlinePage() : Response.error();
  }
}

async function cacheFirst(event) {
  const kept = await fromCache(event.request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(event.request);
  // A static file fetched on-line (a module a script imports) is kept too.
  const person = await currentPerson();
  if (person && isKeepable(response) && stillActive()) {
    const cache = await caches.open(cacheNames(VERSION, person).shell);
    await cache.put(event.request, response.clone());
  }
  return response;
}

async function networkOnly(event) {
  try {
    return await fetch(event.request);
  } catch (error) {
    if (event.request.mode === "navigate") return offlinePage();
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const strategy = strategyFor(event.request, self.location.origin);
  if (strategy === "pass") return;
  if (strategy === "cache-first") event.respondWith(cacheFirst(event));
  else if (strategy === "network-first") event.respondWith(networkFirst(event));
  else event.respondWith(networkOnly(event));
});
