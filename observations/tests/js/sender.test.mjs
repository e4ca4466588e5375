import assert from "node:assert/strict";
import { test } from "node:test";

import { createQueue } from "../../../static/observations/capture/queue.js";
import {
  SIGN_IN_AGAIN,
  VISIT_GONE,
  answerFor,
  createSender,
  reasonFor,
  statusText,
} from "../../../static/observations/capture/sender.js";
import { answer, manualLater, memoryStorage, steppingClock } from "./fakes.mjs";

function setUp(answers) {
  const clock = steppingClock();
  const queue = createQueue({ storage: memoryStorage(), key: "k", now: clock.now });
  const sent = [];
  const saved = [];
  const refused = [];
  const statuses = [];
  const later = manualLater();
  let online = true;
  const sender = createSender({
    queue,
    visit: 1,
    post: async (payload) => {
      sent.push(payload.client_id);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    onSaved: (id) => saved.push(id),
    onRefused: (item) => refused.push(item),
    onStatus: (text) => statuses.push(text),
    online: () => online,
    later,
  });
  const put = (id, visit = 1) => {
    clock.tick(1);
    return queue.put({ client_id: id, visit, text: `entry ${id}` });
  };
  return { queue, sender, sent, saved, refused, statuses, later, put, goOffline: () => (online = false) };
}

/** Flush until the sender has nothing more to send (each step sends one). */
async function drain(later, sender) {
  await sender.flush();
  while (later.count()) {
    later.run();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test("the sync line counts what waits, online or not", () => {
  assert.equal(statusText(0, true), "All entries saved.");
  assert.equal(statusText(1, true), "Saving 1 entry…");
  assert.equal(statusText(3, true), "Saving 3 entries…");
  assert.equal(
    statusText(1, false),
    "1 entry kept on this phone; it will be sent when you are back online.",
  );
  assert.equal(
    statusText(2, false),
    "2 entries kept on this phone; they will be sent when you are back online.",
  );
});

test("only a JSON answer confirms; a redirect to sign-in does not", () => {
  assert.equal(answerFor(answer(201)), "saved");
  assert.equal(answerFor(answer(200)), "saved");
  assert.equal(answerFor(answer(200, { json: false, redirected: true })), "sign-in");
  assert.equal(answerFor(answer(200, { json: false })), "kept");
  assert.equal(answerFor(answer(400)), "refused");
  assert.equal(answerFor(answer(404)), "refused");
  assert.equal(answerFor(answer(403)), "sign-in");
  assert.equal(answerFor(answer(500)), "kept");
  assert.equal(answerFor(answer(502, { json: false })), "kept");
});

test("entries go one at a time, in order, and each is sent once", async () => {
  const t = setUp([answer(201), answer(201), answer(201)]);
  t.put("a");
  t.put("b", 2);
  t.put("c");
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["a", "c", "b"]);
  assert.deepEqual(t.saved, ["a", "c", "b"]);
  assert.deepEqual(t.queue.read(), {});
  assert.equal(t.statuses.at(-1), "All entries saved.");
});

test("offline, everything is kept and sent once the connection returns", async () => {
  const t = setUp([new TypeError("Failed to fetch"), answer(201), answer(201)]);
  t.goOffline();
  t.put("a");
  t.put("b");
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["a"]);
  assert.equal(t.queue.pendingFor(1).length, 2);
  assert.equal(
    t.statuses.at(-1),
    "2 entries kept on this phone; they will be sent when you are back online.",
  );
  await drain(t.later, t.sender); // the browser's online event, or the retry
  assert.deepEqual(t.sent, ["a", "a", "b"]);
  assert.deepEqual(t.queue.read(), {});
});

test("an ended session keeps the entry and asks to sign in again", async () => {
  const t = setUp([answer(200, { json: false, redirected: true }), answer(403)]);
  t.put("a");
  await drain(t.later, t.sender);
  assert.equal(t.statuses.at(-1), SIGN_IN_AGAIN);
  await drain(t.later, t.sender);
  assert.equal(t.statuses.at(-1), SIGN_IN_AGAIN);
  assert.equal(t.queue.pendingFor(1).length, 1);
  assert.deepEqual(t.saved, []);
});

test("a server error page keeps the entry for the next try", async () => {
  const t = setUp([answer(502, { json: false }), answer(500)]);
  t.put("a");
  await drain(t.later, t.sender);
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["a", "a"]);
  assert.equal(t.queue.pendingFor(1).length, 1);
  assert.equal(t.statuses.at(-1), "Saving 1 entry…");
});

test("an entry the server refuses stays with its reason, and the rest still go", async () => {
  const refusal = { text: ["Keep an entry to 2,000 characters (this one has 2,150)."] };
  const t = setUp([answer(400, { body: refusal }), answer(201, { body: { id: 9 } })]);
  t.put("bad");
  t.put("good");
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["bad", "good"]);
  assert.deepEqual(t.saved, ["good"]);
  // Nothing typed is lost: the refused entry is kept, with the server's words,
  // and no longer sent.
  const kept = t.queue.read();
  assert.deepEqual(Object.keys(kept), ["bad"]);
  assert.equal(kept.bad.refused, refusal.text[0]);
  assert.equal(kept.bad.payload.text, "entry bad");
  assert.deepEqual(t.refused.map((item) => [item.payload.client_id, item.refused]), [
    ["bad", refusal.text[0]],
  ]);
  await t.sender.flush();
  assert.deepEqual(t.sent, ["bad", "good"]);
  assert.match(t.statuses.at(-1), /^1 entry was not saved: see the reason below/);
});

test("an entry for a visit that is gone (404) is kept and says so", async () => {
  const t = setUp([answer(404, { body: { detail: "Not found." } })]);
  t.put("lost");
  await drain(t.later, t.sender);
  assert.equal(t.queue.read().lost.refused, VISIT_GONE);
  assert.equal(t.queue.pendingFor(1).length, 0);
  assert.equal(t.queue.refusedFor(1).length, 1);
});

test("a refused entry fixed and saved again is sent again under its id", async () => {
  const t = setUp([answer(400, { body: { __all__: ["Too early."] } }), answer(200)]);
  t.put("a");
  await drain(t.later, t.sender);
  assert.equal(t.queue.read().a.refused, "Too early.");
  t.sender.enqueue({ client_id: "a", visit: 1, text: "fixed" });
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["a", "a"]);
  assert.deepEqual(t.queue.read(), {});
  assert.deepEqual(t.saved, ["a"]);
});

test("the reason is the server's messages, whatever their field", () => {
  assert.equal(reasonFor(400, { __all__: ["This visit starts at 09:15."] }), "This visit starts at 09:15.");
  assert.equal(reasonFor(400, { text: ["Too long."], look_for: ["Choose one."] }), "Too long. Choose one.");
  assert.equal(reasonFor(400, null), "The server did not accept this entry.");
  assert.equal(reasonFor(404, { detail: "Not found." }), VISIT_GONE);
});

test("words typed while a version is on its way are sent after it", async () => {
  const t = setUp([]);
  t.put("a");
  let release;
  const answers = [new Promise((resolve) => (release = resolve)), answer(200)];
  const queue = t.queue;
  const sent = [];
  const sender = createSender({
    queue,
    visit: 1,
    post: (payload) => {
      sent.push(payload.text);
      return answers.shift();
    },
    later: t.later,
  });
  const first = sender.flush();
  // A second flush while one request is out sends nothing more.
  await sender.flush();
  queue.put({ client_id: "a", visit: 1, text: "entry a, and more" });
  release(answer(201));
  await first;
  await drain(t.later, sender);
  assert.deepEqual(sent, ["entry a", "entry a, and more"]);
  assert.deepEqual(queue.read(), {});
});

test("enqueue shows the count and sends shortly, once per burst", async () => {
  const t = setUp([answer(201), answer(201)]);
  t.sender.enqueue({ client_id: "a", visit: 1, text: "x" });
  t.sender.enqueue({ client_id: "b", visit: 1, text: "y" });
  assert.equal(t.statuses.at(-1), "Saving 2 entries…");
  assert.equal(t.later.count(), 1);
  await drain(t.later, t.sender);
  assert.deepEqual(t.sent, ["a", "b"]);
});
