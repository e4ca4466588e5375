import assert from "node:assert/strict";
import { test } from "node:test";

import { createQueue } from "../../../static/observations/capture/queue.js";
import { memoryStorage, steppingClock } from "./fakes.mjs";

const KEY = "jel.evidence.7";

function entry(clientId, visit = 1, text = "Students asked why") {
  return { client_id: clientId, visit, text, is_tally: false };
}

function setUp() {
  const storage = memoryStorage();
  const clock = steppingClock();
  const queue = createQueue({ storage, key: KEY, now: clock.now });
  return { storage, clock, queue };
}

test("an entry is kept in storage under its client id, version 1", () => {
  const { storage, queue } = setUp();
  const item = queue.put(entry("a"));
  assert.equal(item.version, 1);
  const kept = JSON.parse(storage.getItem(KEY));
  assert.deepEqual(Object.keys(kept), ["a"]);
  assert.equal(kept.a.payload.text, "Students asked why");
});

test("typing more into the same entry keeps one item with a newer version", () => {
  const { clock, queue } = setUp();
  const first = queue.put(entry("a", 1, "Students"));
  clock.tick(1000);
  const second = queue.put(entry("a", 1, "Students asked why"));
  assert.equal(second.version, 2);
  // It keeps its place in the line: the time it was first queued.
  assert.equal(second.queuedAt, first.queuedAt);
  assert.equal(queue.pendingFor(1).length, 1);
  assert.equal(queue.pendingFor(1)[0].payload.text, "Students asked why");
});

test("a visit's entries wait oldest first", () => {
  const { clock, queue } = setUp();
  for (const id of ["c", "a", "b"]) {
    queue.put(entry(id));
    clock.tick(10);
  }
  assert.deepEqual(
    queue.pendingFor(1).map((item) => item.payload.client_id),
    ["c", "a", "b"],
  );
});

test("entries of another visit are sent after this visit's, not stranded", () => {
  const { clock, queue } = setUp();
  queue.put(entry("old", 2));
  clock.tick(10);
  queue.put(entry("new", 1));
  assert.deepEqual(queue.pendingFor(1).map((i) => i.payload.client_id), ["new"]);
  assert.deepEqual(queue.sendOrder(1).map((i) => i.payload.client_id), ["new", "old"]);
});

test("a confirmation of the version sent forgets the entry", () => {
  const { queue } = setUp();
  const item = queue.put(entry("a"));
  assert.equal(queue.settle(item), true);
  assert.deepEqual(queue.read(), {});
});

test("a confirmation of an older version keeps the newer words", () => {
  const { queue } = setUp();
  const sent = queue.put(entry("a", 1, "Students"));
  queue.put(entry("a", 1, "Students asked why"));
  assert.equal(queue.settle(sent), false);
  const [waiting] = queue.pendingFor(1);
  assert.equal(waiting.version, 2);
  assert.equal(waiting.payload.text, "Students asked why");
});

test("a page opened later finds what an earlier page kept", () => {
  const { storage, queue } = setUp();
  queue.put(entry("a"));
  const later = createQueue({ storage, key: KEY });
  assert.deepEqual(later.pendingFor(1).map((i) => i.payload.client_id), ["a"]);
});

test("unreadable storage counts as an empty queue", () => {
  const storage = memoryStorage({ [KEY]: "{not json" });
  const queue = createQueue({ storage, key: KEY });
  assert.deepEqual(queue.read(), {});
  assert.equal(queue.put(entry("a")).version, 1);
});

test("when storage is full the queue carries on in memory for the page", () => {
  const { storage, queue } = setUp();
  storage.full = true;
  queue.put(entry("a"));
  queue.put(entry("b"));
  assert.deepEqual(queue.sendOrder(1).map((i) => i.payload.client_id), ["a", "b"]);
  assert.equal(queue.settle(queue.sendOrder(1)[0]), true);
  assert.deepEqual(Object.keys(queue.read()), ["b"]);
  // Room again: the next write puts the whole queue back in storage.
  storage.full = false;
  queue.put(entry("c"));
  assert.deepEqual(Object.keys(JSON.parse(storage.getItem(KEY))), ["b", "c"]);
});

test("entries queued in one school wait there while the person works in another", () => {
  // The page's key is per person and school: jel.evidence.<school>.<user>.
  const storage = memoryStorage();
  const first = createQueue({ storage, key: "jel.evidence.1.7" });
  const second = createQueue({ storage, key: "jel.evidence.2.7" });
  first.put(entry("in-school-1", 10));
  assert.deepEqual(second.sendOrder(20), []);
  assert.equal(first.pendingFor(10).length, 1);
});

test("a refused entry is kept with its reason and no longer sent", () => {
  const { queue } = setUp();
  const item = queue.put(entry("a"));
  queue.put(entry("b"));
  assert.equal(queue.refuse(item, "Too long."), true);
  assert.deepEqual(queue.sendOrder(1).map((i) => i.payload.client_id), ["b"]);
  assert.deepEqual(queue.refusedFor(1).map((i) => i.refused), ["Too long."]);
  assert.equal(queue.pendingFor(1).length, 1);
});

test("a refusal of an older version does not mark the newer one", () => {
  const { queue } = setUp();
  const old = queue.put(entry("a", 1, "Students"));
  queue.put(entry("a", 1, "Students asked why"));
  assert.equal(queue.refuse(old, "No."), false);
  assert.equal(queue.refusedFor(1).length, 0);
  assert.equal(queue.pendingFor(1)[0].payload.text, "Students asked why");
});

test("a new version of a refused entry is sent again; remove lets it go", () => {
  const { queue } = setUp();
  queue.refuse(queue.put(entry("a")), "No.");
  queue.put(entry("a", 1, "fixed"));
  assert.equal(queue.refusedFor(1).length, 0);
  assert.equal(queue.sendOrder(1)[0].payload.text, "fixed");
  queue.remove("a");
  assert.deepEqual(queue.read(), {});
});

test("entries kept under the old per-person key move into the school's queue", () => {
  const storage = memoryStorage();
  const old = createQueue({ storage, key: "jel.evidence.7" });
  old.put(entry("this-visit", 10));
  old.put(entry("other-visit", 11));
  const queue = createQueue({ storage, key: "jel.evidence.1.7" });
  assert.equal(queue.adopt("jel.evidence.7", 10), 1);
  assert.deepEqual(queue.pendingFor(10).map((i) => i.payload.client_id), ["this-visit"]);
  // Another visit's entries wait for their own page (perhaps another school's).
  assert.deepEqual(Object.keys(old.read()), ["other-visit"]);
  assert.equal(queue.adopt("jel.evidence.7", 10), 0);
});
