import assert from "node:assert/strict";
import { test } from "node:test";

import { createDraft, hasWords } from "../../../static/observations/capture/draft.js";
import { memoryStorage } from "./fakes.mjs";

const KEY = "jel.draft.1.7.42";

test("half-typed words are kept on the phone, not sent: a reload gets them back", () => {
  const storage = memoryStorage();
  const draft = createDraft({ storage, key: KEY });
  assert.equal(draft.save({ client_id: "a", text: "Students were comp" }), true);
  const again = createDraft({ storage, key: KEY });
  assert.deepEqual(again.load(), { client_id: "a", text: "Students were comp" });
  // Nothing else in storage: the draft is not in the entry queue.
  assert.deepEqual(Object.keys(storage.data), [KEY]);
});

test("saving the entry clears the draft; an emptied form keeps no draft", () => {
  const storage = memoryStorage();
  const draft = createDraft({ storage, key: KEY });
  draft.save({ text: "Students" });
  draft.clear();
  assert.equal(draft.load(), null);
  draft.save({ text: "Students" });
  assert.equal(draft.save({ text: "", what: "" }), false);
  assert.equal(draft.load(), null);
});

test("storage that refuses writes keeps the draft for this page", () => {
  const storage = memoryStorage();
  storage.full = true;
  const draft = createDraft({ storage, key: KEY });
  draft.save({ text: "Students asked" });
  assert.equal(draft.load().text, "Students asked");
});

test("words in any of the organizer's boxes count", () => {
  assert.equal(hasWords({ text: "", so_what: "It matters" }), true);
  assert.equal(hasWords({ text: "" }), false);
  assert.equal(hasWords(null), false);
});
