import assert from "node:assert/strict";
import { test } from "node:test";

import { countText, tooLong, tooLongText } from "../../../static/observations/capture/limits.js";

test("the counter says how much room is left, and how far over", () => {
  assert.equal(countText(0, 2000), "0 of 2,000 characters");
  assert.equal(countText(2000, 2000), "2,000 of 2,000 characters");
  assert.equal(countText(2150, 2000), "2,150 of 2,000 characters: 150 too many to save");
});

test("an entry over the limit in any box is not saved, and the message says why", () => {
  assert.equal(tooLong({ text: "a".repeat(2000) }, 2000), null);
  assert.equal(tooLong({ text: "", so_what: "a".repeat(2001) }, 2000), "so_what");
  assert.equal(
    tooLongText(100000, 2000),
    "Keep an entry to 2,000 characters (this one has 100,000): shorten it or save it as two entries.",
  );
});
