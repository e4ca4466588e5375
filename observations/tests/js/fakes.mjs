// Stand-ins for the browser: storage, fetch answers and a clock of our own.

/** A localStorage of our own; full = true makes every write throw. */
export function memoryStorage(initial = {}) {
  const data = { ...initial };
  return {
    full: false,
    data,
    getItem(key) {
      return Object.hasOwn(data, key) ? data[key] : null;
    },
    setItem(key, value) {
      if (this.full) throw new Error("QuotaExceededError");
      data[key] = String(value);
    },
  };
}

/** A fetch Response as the sender sees it. */
export function answer(status, { json = true, redirected = false, body = {} } = {}) {
  return {
    status,
    ok: status >= 200 && status < 300,
    redirected,
    headers: { get: (name) => (name === "Content-Type" && json ? "application/json" : "text/html") },
    json: async () => body,
  };
}

/** A clock that moves only when told: now() in milliseconds. */
export function steppingClock(start = Date.UTC(2026, 10, 30, 13, 0)) {
  let at = start;
  return {
    now: () => at,
    date: () => new Date(at),
    tick(ms) {
      at += ms;
    },
  };
}

/** setTimeout that runs nothing until run() is called. */
export function manualLater() {
  const waiting = [];
  const later = (fn) => {
    waiting.push(fn);
    return waiting.length;
  };
  later.run = () => {
    while (waiting.length) waiting.shift()();
  };
  later.count = () => waiting.length;
  return later;
}
