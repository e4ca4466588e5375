// Entries waiting in IndexedDB (static/js/pwa/queue.mjs) and the sign-out's
// send-then-ask (static/js/pwa/signout.mjs), over a fake database.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  migrateFromLocalStorage,
  openEntryStore,
  postPayload,
  waitingItems,
} from "../../../static/js/pwa/queue.mjs";
import { confirmText, sendWaiting } from "../../../static/js/pwa/signout.mjs";
import { createQueue } from "../../../static/observations/capture/queue.js";
import { answer, memoryStorage, steppingClock } from "./fakes.mjs";

const KEY = "jel.evidence.1.7";

/** A person's IndexedDB as the store sees it; writes land after a tick. */
function fakeDatabase({ failing = false } = {}) {
  const rows = new Map();
  const writes = [];
  return {
    rows,
    writes,
    all: async () => [...rows.entries()],
    async put(key, value) {
      await null;
      if (failing) throw new Error("QuotaExceededError");
      writes.push(key);
      rows.set(key, value);
    },
    async remove(key) {
      await null;
      rows.delete(key);
    },
  };
}

/** Two tabs' BroadcastChannels: what one posts, the other hears. */
function channelPair() {
  const a = { postMessage: (data) => b.onmessage && b.onmessage({ data }) };
  const b = { postMessage: (data) => a.onmessage && a.onmessage({ data }) };
  return [a, b];
}

const entry = (id, visit = 5) => ({ client_id: id, visit, text: `Students ${id}`, is_tally: false });

test("entries kept in the store are in the database after the tab closes", async () => {
  const database = fakeDatabase();
  const clock = steppingClock();
  const store = await openEntryStore({ backend: database });
  const queue = createQueue({ storage: store, key: KEY, now: clock.now });
  queue.put(entry("a"));
  clock.tick(1000);
  queue.put(entry("b"));
  await store.settled();

  const reopened = await openEntryStore({ backend: database });
  const again = createQueue({ storage: reopened, key: KEY });
  assert.deepEqual(
    again.pendingFor(5).map((item) => item.payload.client_id),
    ["a", "b"],
  );
});

test("the database gets the writes in the order they were made", async () => {
  const database = fakeDatabase();
  const store = await openEntryStore({ backend: database });
  store.setItem("one", "1");
  store.setItem("two", "2");
  store.setItem("one", "3");
  await store.settled();
  assert.deepEqual(database.writes, ["one", "two", "one"]);
  assert.equal(database.rows.get("one"), "3");
});

test("a database that refuses writes still lets the page queue and send", async () => {
  const store = await openEntryStore({ backend: fakeDatabase({ failing: true }) });
  const queue = createQueue({ storage: store, key: KEY });
  queue.put(entry("a"));
  await store.settled();
  assert.equal(queue.pendingFor(5).length, 1);
});

test("a second tab sees what the first sent, and never puts it back", async () => {
  const database = fakeDatabase();
  const [left, right] = channelPair();
  const first = await openEntryStore({ backend: database, channel: left });
  const second = await openEntryStore({ backend: database, channel: right });
  const queueOne = createQueue({ storage: first, key: KEY });
  const queueTwo = createQueue({ storage: second, key: KEY });
  const item = queueOne.put(entry("a"));
  assert.equal(queueTwo.pendingFor(5).length, 1);
  queueTwo.settle(item);
  assert.equal(queueOne.pendingFor(5).length, 0);
  queueOne.put(entry("b"));
  await first.settled();
  await second.settled();
  const reopened = createQueue({ storage: await openEntryStore({ backend: database }), key: KEY });
  assert.deepEqual(
    reopened.pendingFor(5).map((i) => i.payload.client_id),
    ["b"],
  );
});

test("entries an older release kept in localStorage move to the store once", async () => {
  const local = memoryStorage();
  const oldQueue = createQueue({ storage: local, key: KEY });
  oldQueue.put(entry("a"));
  oldQueue.put(entry("b"));
  local.removeItem = (key) => delete local.data[key];
  const store = await openEntryStore({ backend: fakeDatabase() });
  createQueue({ storage: store, key: KEY }).put(entry("c"));

  assert.equal(migrateFromLocalStorage(local, store, [KEY, "jel.evidence.7"]), 2);
  const queue = createQueue({ storage: store, key: KEY });
  assert.deepEqual(
    queue.pendingFor(5).map((item) => item.payload.client_id).sort(),
    ["a", "b", "c"],
  );
  assert.equal(local.getItem(KEY), null);
  assert.equal(migrateFromLocalStorage(local, store, [KEY]), 0);
});

test("waiting items of every school come oldest first; refused ones only when asked", async () => {
  const clock = steppingClock();
  const store = await openEntryStore({ backend: fakeDatabase() });
  const here = createQueue({ storage: store, key: "jel.evidence.1.7", now: clock.now });
  const there = createQueue({ storage: store, key: "jel.evidence.2.7", now: clock.now });
  here.put(entry("first"));
  clock.tick(10);
  const refused = there.put(entry("second", 9));
  clock.tick(10);
  here.put(entry("third"));
  there.refuse(refused, "The visit was cancelled.");
  assert.deepEqual(
    waitingItems(store).map(({ item }) => item.payload.client_id),
    ["first", "third"],
  );
  assert.equal(waitingItems(store, { refused: true }).length, 3);
});

test("a timer step is posted to its own address, an entry to the API", async () => {
  const calls = [];
  const fetch = async (url, options) => {
    calls.push([url, options.body ? JSON.parse(options.body).client_id : null]);
    return answer(200);
  };
  await postPayload({ client_id: "t", timer_url: "/visits/5/observe/start/" }, {
    apiUrl: "/api/v1/evidence/",
    csrfToken: "x",
    fetch,
  });
  await postPayload(entry("a"), { apiUrl: "/api/v1/evidence/", csrfToken: "x", fetch });
  assert.deepEqual(calls, [
    ["/visits/5/observe/start/", null],
    ["/api/v1/evidence/", "a"],
  ]);
});

test("sign-out sends what waits in order, and counts what is still on the phone", async () => {
  const clock = steppingClock();
  const store = await openEntryStore({ backend: fakeDatabase() });
  const queue = createQueue({ storage: store, key: KEY, now: clock.now });
  for (const id of ["a", "b", "c"]) {
    queue.put(entry(id));
    clock.tick(10);
  }
  const sent = [];
  const answers = {
    a: answer(201),
    b: answer(400, { body: { __all__: ["This visit is not open yet."] } }),
  };
  const fetch = async (url, options) => {
    const id = JSON.parse(options.body).client_id;
    sent.push(id);
    if (answers[id]) return answers[id];
    throw new TypeError("Failed to fetch"); // offline from here on
  };
  const left = await sendWaiting(store, { apiUrl: "/api/v1/evidence/", csrfToken: "x", fetch });
  assert.deepEqual(sent, ["a", "b", "c"]);
  // b was refused (kept with its reason), c could not go: both stay.
  assert.equal(left, 2);
  assert.equal(queue.refusedFor(5)[0].refused, "This visit is not open yet.");
  assert.deepEqual(queue.pendingFor(5).map((item) => item.payload.client_id), ["c"]);
});

test("sign-out with nothing waiting has nothing to ask", async () => {
  const store = await openEntryStore({ backend: fakeDatabase() });
  const left = await sendWaiting(store, {
    apiUrl: "/api/v1/evidence/",
    csrfToken: "x",
    fetch: async () => assert.fail("nothing to send"),
  });
  assert.equal(left, 0);
});

test("the confirm step says how many entries would be lost", () => {
  assert.match(confirmText(1), /^1 entry has not reached the server/);
  assert.match(confirmText(3), /^3 entries have not reached the server/);
  assert.match(confirmText(3), /Sign out anyway\?$/);
});
