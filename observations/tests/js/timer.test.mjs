import assert from "node:assert/strict";
import { test } from "node:test";

import {
  createTimer,
  elapsedSeconds,
  formatElapsed,
} from "../../../static/observations/capture/timer.js";
import { memoryStorage, steppingClock } from "./fakes.mjs";

const KEY = "jel.timer.5";

function setUp(initial = { startedAt: null, endedAt: null }, storage = memoryStorage()) {
  const clock = steppingClock();
  const timer = createTimer({
    storage,
    key: KEY,
    initial,
    plannedMinutes: 15,
    now: clock.date,
  });
  return { clock, timer, storage };
}

test("minutes and seconds, the seconds always two digits", () => {
  assert.equal(formatElapsed(0), "0:00");
  assert.equal(formatElapsed(5), "0:05");
  assert.equal(formatElapsed(545), "9:05");
  assert.equal(formatElapsed(900), "15:00");
  assert.equal(formatElapsed(4350), "72:30");
});

test("elapsed time stops at the stop and is never negative", () => {
  const start = "2026-11-30T13:00:00.000Z";
  assert.equal(elapsedSeconds({ startedAt: null }, new Date()), 0);
  assert.equal(
    elapsedSeconds({ startedAt: start, endedAt: "2026-11-30T13:10:30.900Z" }, new Date(0)),
    630,
  );
  // A phone clock behind the server's start: 0, not -3.
  assert.equal(elapsedSeconds({ startedAt: start }, new Date("2026-11-30T12:59:57Z")), 0);
});

test("a timer never started shows 0:00 and no colour", () => {
  const { timer } = setUp();
  assert.deepEqual(timer.reading(), { text: "0:00", over: null, justOver: false });
  assert.equal(timer.isRunning(), false);
});

test("it counts up and says once that the planned minutes are up", () => {
  const { clock, timer } = setUp();
  timer.start();
  assert.equal(timer.isRunning(), true);
  clock.tick(14 * 60_000 + 59_000);
  assert.deepEqual(timer.reading(), { text: "14:59", over: false, justOver: false });
  clock.tick(1000);
  assert.deepEqual(timer.reading(), { text: "15:00", over: true, justOver: true });
  clock.tick(1000);
  assert.deepEqual(timer.reading(), { text: "15:01", over: true, justOver: false });
});

test("a stopped timer stands still; resuming carries on from the first start", () => {
  const { clock, timer } = setUp();
  timer.start();
  clock.tick(16 * 60_000);
  timer.reading();
  timer.stop();
  clock.tick(60_000);
  assert.equal(timer.reading().text, "16:00");
  assert.equal(timer.isRunning(), false);
  timer.resume();
  assert.equal(timer.isRunning(), true);
  assert.equal(timer.reading().text, "17:00");
});

test("resuming a timer never started starts it", () => {
  const { clock, timer } = setUp();
  timer.resume();
  clock.tick(60_000);
  assert.equal(timer.reading().text, "1:00");
});

test("the server's start time wins over the phone's", () => {
  const { clock, timer } = setUp();
  timer.start();
  timer.started({ started_at: new Date(clock.now() - 60_000).toISOString(), ended_at: null });
  assert.equal(timer.reading().text, "1:00");
  // No answer (offline) or an answer for a stopped timer changes nothing.
  timer.started(null);
  timer.started({ started_at: "2026-01-01T00:00:00Z", ended_at: "2026-01-01T00:10:00Z" });
  assert.equal(timer.reading().text, "1:00");
});

test("a reload keeps the running timer; the server's record is the fallback", () => {
  const storage = memoryStorage();
  const first = setUp({ startedAt: null, endedAt: null }, storage);
  first.timer.start();
  const again = setUp({ startedAt: null, endedAt: null }, storage);
  assert.equal(again.timer.isRunning(), true);

  const fresh = setUp({ startedAt: "2026-11-30T12:58:00.000Z", endedAt: null });
  assert.equal(fresh.timer.reading().text, "2:00");
});

test("storage that refuses writes does not stop the timer", () => {
  const storage = memoryStorage();
  storage.full = true;
  const { clock, timer } = setUp(undefined, storage);
  timer.start();
  clock.tick(90_000);
  assert.equal(timer.reading().text, "1:30");
});
