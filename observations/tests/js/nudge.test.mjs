import assert from "node:assert/strict";
import { test } from "node:test";

import { judgingWordsIn, nudgeText } from "../../../static/observations/capture/nudge.js";

// The server sends its list (observations/judging.py); a few of its words here.
const WORDS = ["good", "great", "shouldn't", "best"];

test("judging words are found whole, lower-cased, each once, in order", () => {
  assert.deepEqual(judgingWordsIn("Great lesson, very good pacing. GOOD.", WORDS), [
    "great",
    "good",
  ]);
  assert.deepEqual(judgingWordsIn("Goodness, the students regrouped", WORDS), []);
  assert.deepEqual(judgingWordsIn("They shouldn't wait", WORDS), ["shouldn't"]);
});

test("no words from the server means no nudge, whatever is typed", () => {
  assert.deepEqual(judgingWordsIn("Great lesson", []), []);
  assert.deepEqual(judgingWordsIn("", WORDS), []);
});

test("the nudge shows the words back with the server's advice", () => {
  assert.equal(nudgeText(["great", "good"], "Try describing."), "You wrote “great, good”. Try describing.");
  assert.equal(nudgeText([], "Try describing."), "");
});
