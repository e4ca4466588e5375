/* The offline queue: each entry's latest version, kept in storage (the
 * browser's localStorage) under its client id until the server confirms
 * exactly that version, so a dropped school Wi-Fi loses nothing.
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

  /** The visit's entries still waiting, oldest first. */
  function pendingFor(visit) {
    return Object.values(read())
      .filter((item) => item.payload.visit === visit)
      .sort((a, b) => a.queuedAt - b.queuedAt);
  }

  /** What to send, in order: this visit's entries oldest first, then entries
   * of other visits (an earlier page) so that nothing is stranded. */
  function sendOrder(visit) {
    const others = Object.values(read()).filter((item) => item.payload.visit !== visit);
    return pendingFor(visit).concat(others);
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

  return { read, put, pendingFor, sendOrder, settle };
}
