// The service worker's caching rules (static/js/pwa/rules.mjs; /sw.js is built from it).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  belongsTo,
  cacheNames,
  isKeepable,
  isStale,
  offlineCopyUrl,
  strategyFor,
} from "../../../static/js/pwa/rules.mjs";

const ORIGIN = "https://jel.example.org";
const get = (path, mode = "navigate") => ({ method: "GET", url: ORIGIN + path, mode });

test("home and the capture pages are network-first, kept for offline use", () => {
  assert.equal(strategyFor(get("/"), ORIGIN), "network-first");
  assert.equal(strategyFor(get("/visits/42/observe/"), ORIGIN), "network-first");
  assert.equal(strategyFor(get("/offline/"), ORIGIN), "network-first");
});

test("private pages are never kept: reflections, goals, profile, sign-in", () => {
  for (const path of [
    "/reflections/",
    "/reflections/3/",
    "/goals/",
    "/goals/new/",
    "/profile/",
    "/accounts/sign-in/",
    "/notifications/",
    "/evidence/my-room/",
    "/offline/pages/",
  ]) {
    assert.equal(strategyFor(get(path), ORIGIN), "network", path);
  }
});

test("pages outside the allow-list go to the network only", () => {
  assert.equal(strategyFor(get("/cycles/4/"), ORIGIN), "network");
  assert.equal(strategyFor(get("/visits/42/observe/evidence/"), ORIGIN), "network");
  // A variant of a kept page is not the kept page.
  assert.equal(strategyFor(get("/?page=2"), ORIGIN), "network");
  assert.equal(strategyFor(get("/visits/42/observe/?offline=1"), ORIGIN), "network");
});

test("nothing but GET is handled, and other sites are left alone", () => {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    assert.equal(strategyFor({ method, url: `${ORIGIN}/visits/42/observe/` }, ORIGIN), "pass");
    assert.equal(strategyFor({ method, url: `${ORIGIN}/api/v1/evidence/` }, ORIGIN), "pass");
  }
  assert.equal(strategyFor(get("/", "navigate"), "https://other.example.org"), "pass");
});

test("static files are cache-first (the release renews them)", () => {
  assert.equal(strategyFor(get("/static/css/jel.css", "no-cors"), ORIGIN), "cache-first");
});

test("cache names carry the person and the release", () => {
  const mine = cacheNames("v1", "aaaa");
  const theirs = cacheNames("v1", "bbbb");
  assert.notEqual(mine.pages, theirs.pages);
  assert.notEqual(mine.shell, mine.pages);
  assert.ok(belongsTo(mine.pages, "aaaa"));
  assert.ok(belongsTo(mine.shell, "aaaa"));
  assert.ok(!belongsTo(theirs.pages, "aaaa"));
  assert.notEqual(cacheNames("v2", "aaaa").pages, mine.pages);
});

test("caches of another release are stale; the current one and others' caches are not", () => {
  assert.ok(isStale(cacheNames("old", "aaaa").pages, "new"));
  assert.ok(isStale(cacheNames("old", "aaaa").shell, "new"));
  assert.ok(!isStale(cacheNames("new", "aaaa").pages, "new"));
  assert.ok(!isStale("someone-elses-cache", "new"));
});

test("only a plain 200 of our own is kept: no redirect (ended session), error or opaque", () => {
  assert.ok(isKeepable({ status: 200, redirected: false, type: "basic" }));
  assert.ok(!isKeepable({ status: 200, redirected: true, type: "basic" }));
  assert.ok(!isKeepable({ status: 404, redirected: false, type: "basic" }));
  assert.ok(!isKeepable({ status: 500, redirected: false, type: "basic" }));
  assert.ok(!isKeepable({ status: 0, redirected: false, type: "opaque" }));
  assert.ok(!isKeepable(undefined));
});

test("a capture page is kept as its offline copy, other pages as they are", () => {
  assert.equal(offlineCopyUrl("/visits/42/observe/"), "/visits/42/observe/?offline=1");
  assert.equal(offlineCopyUrl("/"), "/");
});
