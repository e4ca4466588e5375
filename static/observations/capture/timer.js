/* The quiet visit timer: counts up, never beeps, and only changes colour (and
 * says so once, politely) at the planned length. Its state is kept per visit
 * in storage so a reload keeps it running; the server's record wins on start. */

/** Whole seconds between the start and the stop (or now); never negative. */
export function elapsedSeconds(state, now) {
  if (!state.startedAt) return 0;
  const end = state.endedAt ? new Date(state.endedAt) : now;
  return Math.max(0, Math.floor((end - new Date(state.startedAt)) / 1000));
}

/** 0:00, 9:05, 15:00, 72:30: minutes and seconds. */
export function formatElapsed(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

export function isRunning(state) {
  return Boolean(state.startedAt && !state.endedAt);
}

/**
 * createTimer({storage, key, initial, plannedMinutes, now}): the timer of one
 * visit. initial is the server's {startedAt, endedAt}, used when storage holds
 * nothing; now() -> Date.
 */
export function createTimer({ storage, key, initial, plannedMinutes, now = () => new Date() }) {
  let state = load() || { startedAt: initial.startedAt, endedAt: initial.endedAt };
  let warned = false;

  function load() {
    try {
      return JSON.parse(storage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function save() {
    try {
      storage.setItem(key, JSON.stringify(state));
    } catch (error) {
      // Not kept across a reload; the timer still runs on this page.
    }
  }

  /** What the display shows: text, whether the planned time is over, and
   * whether it has just become over (say so once per start). */
  function reading() {
    if (!state.startedAt) return { text: "0:00", over: null, justOver: false };
    const seconds = elapsedSeconds(state, now());
    const over = Math.floor(seconds / 60) >= plannedMinutes;
    const justOver = over && !warned;
    if (justOver) warned = true;
    return { text: formatElapsed(seconds), over, justOver };
  }

  function start() {
    state = { startedAt: now().toISOString(), endedAt: null };
    warned = false;
    save();
  }

  function stop() {
    state.endedAt = now().toISOString();
    save();
  }

  /** Stopped too soon: carry on from the first start (the visit is one span). */
  function resume() {
    if (!state.startedAt) return start();
    state.endedAt = null;
    save();
  }

  /** The server's answer to start: its start time is the one that counts. */
  function started(answer) {
    if (answer && answer.started_at && !answer.ended_at) {
      state.startedAt = answer.started_at;
      save();
    }
  }

  return {
    reading,
    start,
    stop,
    resume,
    started,
    save,
    isRunning: () => isRunning(state),
    state: () => ({ ...state }),
  };
}
