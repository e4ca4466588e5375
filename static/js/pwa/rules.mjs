/* The service worker's caching rules, as plain functions (Node's test runner
 * checks them: observations/tests/js/pwa-rules.test.mjs). /sw.js is this file
 * with the `export` words taken out, followed by static/js/pwa/sw.js.
 *
 * What is kept on the phone is the person's own: cache names carry the
 * person (a hash of the user id, never the id or the e-mail) and the release,
 * so one person's pages are never served to another and a new release drops
 * the old copies. Only an allow-list of pages is ever cached: home, the
 * capture pages and the offline page. Private pages (reflections, goals, the
 * profile), the sign-in pages, the API and anything that is not a GET go to
 * the network only.
 */

export const CACHE_PREFIX = "jel-";
export const OFFLINE_URL = "/offline/";
export const PAGES_URL = "/offline/pages/";

/** Pages kept for offline use (paths, matched whole). */
const CACHED_PAGES = [/^\/$/, /^\/visits\/\d+\/observe\/$/, /^\/offline\/$/];

/** Never cached, whatever else says. */
const PRIVATE_PREFIXES = [
  "/reflections/",
  "/goals/",
  "/profile/",
  "/accounts/",
  "/admin/",
  "/api/",
  "/notifications/",
  "/school-data/",
  "/evidence/",
  "/offline/pages/",
];

/** The two caches of one person for one release. */
export function cacheNames(version, person) {
  return {
    shell: `${CACHE_PREFIX}shell-${version}-${person}`,
    pages: `${CACHE_PREFIX}pages-${version}-${person}`,
  };
}

/** Whether a cache (by name) is JEL's and belongs to another release. */
export function isStale(name, version) {
  if (!name.startsWith(CACHE_PREFIX)) return false;
  const parts = name.split("-");
  // jel-<kind>-<version>-<person>
  return parts.length !== 4 || parts[2] !== version;
}

/** Whether a cache (by name) is JEL's and holds this person's copies. */
export function belongsTo(name, person) {
  return name.startsWith(CACHE_PREFIX) && name.endsWith(`-${person}`);
}

export function isPrivatePath(path) {
  return PRIVATE_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export function isCachedPage(path) {
  return !isPrivatePath(path) && CACHED_PAGES.some((pattern) => pattern.test(path));
}

export function isCapturePage(path) {
  return CACHED_PAGES[1].test(path);
}

/**
 * How the service worker answers a request:
 * "pass" (not ours: the browser does as it would without a worker),
 * "network" (network only, never cached; a page falls back to the offline page),
 * "network-first" (a page kept for offline use: the network's answer, kept;
 *   the kept copy when there is no network),
 * "cache-first" (the app shell's static files; the release version renews them).
 * request: {method, url, mode}; origin: the site's origin.
 */
export function strategyFor(request, origin) {
  const url = new URL(request.url);
  if (url.origin !== origin) return "pass";
  if (request.method !== "GET") return "pass";
  const path = url.pathname;
  if (path.startsWith("/static/")) return "cache-first";
  if (isPrivatePath(path)) return "network";
  // A page's variant (?page=2, ?offline=1) is not what was kept.
  if (isCachedPage(path) && !url.search) return "network-first";
  return "network";
}

/** Whether a response may be kept: a plain 200 from our own site, not a
 * redirect (an ended session answers with the sign-in page). */
export function isKeepable(response) {
  return Boolean(
    response && response.status === 200 && !response.redirected && response.type === "basic",
  );
}

/** The address fetched to keep a capture page: the copy that opens itself at
 * the visit's start time even with no network (the server renders it ready). */
export function offlineCopyUrl(path) {
  return isCapturePage(path) ? `${path}?offline=1` : path;
}

/** The cached answers' total size in bytes (the note reports it). */
export function totalBytes(sizes) {
  return sizes.reduce((sum, size) => sum + size, 0);
}
