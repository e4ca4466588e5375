import assert from "node:assert/strict";
import { test } from "node:test";

import { formatTime, wordsOf } from "../../../static/observations/capture/entries.js";

// 14:15 UTC on 30 November 2026.
const AT = new Date(Date.UTC(2026, 10, 30, 14, 15));

test("a new entry's time is the school's, whatever the phone's zone", () => {
  // As the server writes it after a reload (Django's "g:i A").
  assert.equal(formatTime(AT, "America/New_York"), "9:15 AM");
  assert.equal(formatTime(AT, "America/Los_Angeles"), "6:15 AM");
  assert.equal(formatTime(AT, "Europe/London"), "2:15 PM");
  assert.equal(formatTime(new Date(Date.UTC(2026, 10, 30, 5, 5)), "America/New_York"), "12:05 AM");
});

test("the phone's own zone does not leak in", () => {
  const before = process.env.TZ;
  process.env.TZ = "Asia/Tokyo";
  try {
    assert.equal(formatTime(AT, "America/New_York"), "9:15 AM");
  } finally {
    process.env.TZ = before;
  }
});

test("copying a refused entry gives all its words, labelled", () => {
  assert.equal(
    wordsOf({ text: "", what: "Pairs argued", so_what: "Reasoning", now_what: "" }),
    "What: Pairs argued\nSo what: Reasoning",
  );
});
