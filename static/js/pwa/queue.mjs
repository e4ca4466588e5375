/* Where entries wait on the phone: IndexedDB, one database per person
 * ("jel-entries-<person>", the person being a keyed hash of the user id), so
 * signing out deletes exactly one person's and a closed tab loses nothing.
 *
 * The capture page's queue (static/observations/capture/queue.js) reads and
 * writes a storage with getItem/setItem. openEntryStore gives it one: every
 * value of the database is read once when the page opens, then each write
 * goes to memory at once and to IndexedDB in order (one store, transactions
 * run in the order they start). Other tabs of the same person hear of each
 * write (BroadcastChannel) so two tabs never put back what one has sent.
 *
 * Entries kept in localStorage by an older release move here once
 * (migrateFromLocalStorage), merged by client id.
 */

const STORE = "kv";

export function databaseName(person) {
  return `jel-entries-${person}`;
}

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

/** The person's database as {all(), put(key, value), remove(key)} (IndexedDB). */
export async function openIndexedDb(indexedDB, person) {
  const opening = indexedDB.open(databaseName(person), 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  const db = await request(opening);
  // Sign-out in another tab deletes the database: let it.
  db.onversionchange = () => db.close();
  const store = (mode) => db.transaction(STORE, mode).objectStore(STORE);
  return {
    async all() {
      const keys = await request(store("readonly").getAllKeys());
      const values = await request(store("readonly").getAll());
      return keys.map((key, index) => [key, values[index]]);
    },
    put: (key, value) => request(store("readwrite").put(value, key)),
    remove: (key) => request(store("readwrite").delete(key)),
    close: () => db.close(),
  };
}

/**
 * openEntryStore({backend, channel}) -> a storage (getItem/setItem/removeItem,
 * synchronous, as localStorage) over backend ({all, put, remove}: the
 * person's IndexedDB, or a fake in tests); channel: a BroadcastChannel (or
 * null) shared by the person's tabs. store.settled() waits for the writes.
 */
export async function openEntryStore({ backend, channel = null }) {
  const values = new Map(await backend.all());
  let pending = Promise.resolve();

  function persist(write) {
    pending = pending.then(write).catch(() => {
      // IndexedDB refused (full, private mode): the page keeps the entry in
      // memory and still sends it.
    });
    return pending;
  }

  if (channel) {
    channel.onmessage = (event) => {
      const { key, value } = event.data || {};
      if (typeof key !== "string") return;
      if (value === null) values.delete(key);
      else values.set(key, value);
    };
  }

  const storage = {
    getItem(key) {
      return values.has(key) ? values.get(key) : null;
    },
    setItem(key, value) {
      const text = String(value);
      values.set(key, text);
      persist(() => backend.put(key, text));
      if (channel) channel.postMessage({ key, value: text });
    },
    removeItem(key) {
      values.delete(key);
      persist(() => backend.remove(key));
      if (channel) channel.postMessage({ key, value: null });
    },
    keys() {
      return [...values.keys()];
    },
    settled() {
      return pending;
    },
    close() {
      if (channel) channel.close();
      if (backend.close) backend.close();
    },
  };
  return storage;
}

function parse(text) {
  try {
    return JSON.parse(text) || {};
  } catch (error) {
    return {};
  }
}

/** Move the entries of these localStorage keys into store (same keys),
 * merging by client id (what the store holds wins), then drop them from
 * localStorage. Returns how many entries moved. */
export function migrateFromLocalStorage(localStorage, store, keys) {
  let moved = 0;
  for (const key of keys) {
    let old;
    try {
      old = localStorage.getItem(key);
    } catch (error) {
      return moved;
    }
    if (old === null || old === undefined) continue;
    const merged = parse(store.getItem(key));
    for (const [clientId, item] of Object.entries(parse(old))) {
      if (!merged[clientId]) {
        merged[clientId] = item;
        moved += 1;
      }
    }
    store.setItem(key, JSON.stringify(merged));
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // Kept in both: the server takes a client id once.
    }
  }
  return moved;
}

/** Every item waiting in the store, under any of its queue keys (entries of
 * every school of the person), oldest first; refused ones only if asked. */
export function waitingItems(store, { refused = false, prefix = "jel.evidence." } = {}) {
  const items = [];
  for (const key of store.keys()) {
    if (!key.startsWith(prefix)) continue;
    for (const item of Object.values(parse(store.getItem(key)))) {
      if (item && item.payload && (refused || !item.refused)) items.push({ key, item });
    }
  }
  return items.sort((a, b) => a.item.queuedAt - b.item.queuedAt);
}

/** Post one queued payload: an entry to the evidence API, or a timer start
 * or stop (payload.timer_url) to its own address. */
export function postPayload(payload, { apiUrl, csrfToken, fetch = globalThis.fetch }) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken };
  if (payload.timer_url) {
    return fetch(payload.timer_url, { method: "POST", credentials: "same-origin", headers });
  }
  return fetch(apiUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
}

/** Open the person's store in this browser (IndexedDB), or null where there
 * is none (then the page keeps using localStorage). */
export async function openPersonStore(person) {
  if (!person || typeof indexedDB === "undefined") return null;
  try {
    const backend = await openIndexedDb(indexedDB, person);
    const channel =
      typeof BroadcastChannel === "undefined"
        ? null
        : new BroadcastChannel(databaseName(person));
    return await openEntryStore({ backend, channel });
  } catch (error) {
    return null;
  }
}

/** Delete the person's database (sign-out). */
export function deletePersonStore(person) {
  if (typeof indexedDB === "undefined") return Promise.resolve();
  return new Promise((resolve) => {
    const deleting = indexedDB.deleteDatabase(databaseName(person));
    deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
  });
}
