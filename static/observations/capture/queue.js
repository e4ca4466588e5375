/* The offline queue: each entry's latest version, kept in storage (the
 * browser's localStorage) under its client id until the server confirms
 * exactly that version, so a dropped school Wi-Fi loses nothing. The key is
 * per person and school (the page says which), so entries of one school wait
 * while the person works in another.
 *
 * An entry the server refuses (400: it fails a rule; 404: the visit is gone)
 * stays, marked with the server's reason and no longer sent, until the
 * observer fixes it (a new version is sent again) or copies it and lets go.
 *
 * The queue is read from storage every time, so two tabs of the same person
 * share it. When storage refuses a write (full or blocked), the queue carries
 * on in memory for this page, and the entry still goes to the server.
 */

/**
 * createQueue({storage, key, now}) -> the queue of one person's entries.
 * storage: getItem/setItem (localStorage); now: () -> milliseconds.
 */
export function createQueue({ storage, key, now = () => Date.now() }) {
  let memory = null; // the queue, while storage refuses to keep it

  function read() {
    if (memory) return { ...memory };
    try {
      return JSON.parse(storage.getItem(key)) || {};
    } catch (error) {
      return {};
    }
  }

  function write(queue) {
    try {
      storage.setItem(key, JSON.stringify(queue));
      memory = null;
    } catch (error) {
      memory = { ...queue };
    }
  }

  /** Keep payload as its entry's newest version; returns the queued item. */
  function put(payload) {
    const queue = read();
    const previous = queue[payload.client_id];
    const item = {
      payload,
      version: previous ? previous.version + 1 : 1,
      queuedAt: previous ? previous.queuedAt : now(),
    };
    queue[payload.client_id] = item;
    write(queue);
    return item;
  }

  function oldestFirst(items) {
    return items.sort((a, b) => a.queuedAt - b.queuedAt);
  }

  /** The visit's entries still waiting to be sent, oldest first. */
  function pendingFor(visit) {
    return oldestFirst(
      Object.values(read()).filter((item) => item.payload.visit === visit && !item.refused),
    );
  }

  /** The visit's entries the server refused, oldest first (item.refused says why). */
  function refusedFor(visit) {
    return oldestFirst(
      Object.values(read()).filter((item) => item.payload.visit === visit && item.refused),
    );
  }

  /** What to send, in order: this visit's entries oldest first, then entries
   * of other visits (an earlier page) so that nothing is stranded. Refused
   * entries wait for the observer. */
  function sendOrder(visit) {
    const others = oldestFirst(
      Object.values(read()).filter((item) => item.payload.visit !== visit && !item.refused),
    );
    return pendingFor(visit).concat(others);
  }

  /** The server refused item: keep it with the reason, unless a newer version
   * was queued meanwhile (that one may pass). Returns whether it was marked. */
  function refuse(item, reason) {
    const queue = read();
    const stored = queue[item.payload.client_id];
    if (!stored || stored.version !== item.version) return false;
    stored.refused = reason;
    write(queue);
    return true;
  }

  /** The observer let go of a refused entry (after copying or fixing it). */
  function remove(clientId) {
    const queue = read();
    delete queue[clientId];
    write(queue);
  }

  /** The server answered for item: forget the entry unless a newer version
   * was queued meanwhile (that one still has to go). Returns whether it went. */
  function settle(item) {
    const queue = read();
    const stored = queue[item.payload.client_id];
    if (!stored || stored.version !== item.version) return false;
    delete queue[item.payload.client_id];
    write(queue);
    return true;
  }

  /** Move the visit's entries kept under an older key (once per person, before
   * the key named the school) into this queue, so an update loses nothing. */
  function adopt(oldKey, visit) {
    let old;
    try {
      old = JSON.parse(storage.getItem(oldKey)) || {};
    } catch (error) {
      return 0;
    }
    const mine = Object.values(old).filter((item) => item.payload && item.payload.visit === visit);
    if (!mine.length) return 0;
    const queue = read();
    for (const item of mine) {
      if (!queue[item.payload.client_id]) queue[item.payload.client_id] = item;
      delete old[item.payload.client_id];
    }
    write(queue);
    try {
      storage.setItem(oldKey, JSON.stringify(old));
    } catch (error) {
      // Kept in both: the server takes a client id once.
    }
    return mine.length;
  }

  return { read, put, pendingFor, refusedFor, sendOrder, settle, refuse, remove, adopt };
}
