/* The draft: what is typed in the entry form, kept on this phone (per person,
 * school and visit) until the observer presses Save entry. A draft is not an
 * entry: nothing is sent until then, and a reload puts it back in the form. */

const WORD_FIELDS = ["text", "what", "so_what", "now_what"];

/** Whether payload has any words worth keeping. */
export function hasWords(payload) {
  return WORD_FIELDS.some((name) => Boolean(payload && String(payload[name] || "").trim()));
}

/** createDraft({storage, key}): load() -> payload or null, save(payload), clear(). */
export function createDraft({ storage, key }) {
  let memory = null; // while storage refuses to keep it

  function load() {
    if (memory) return { ...memory };
    try {
      const kept = JSON.parse(storage.getItem(key) || "null");
      return hasWords(kept) ? kept : null;
    } catch (error) {
      return null;
    }
  }

  /** Keep payload as the draft; an empty form clears it. */
  function save(payload) {
    if (!hasWords(payload)) {
      clear();
      return false;
    }
    try {
      storage.setItem(key, JSON.stringify(payload));
      memory = null;
    } catch (error) {
      memory = { ...payload };
    }
    return true;
  }

  function clear() {
    memory = null;
    try {
      if (storage.removeItem) storage.removeItem(key);
      else storage.setItem(key, "null");
    } catch (error) {
      // Nothing kept, nothing to clear.
    }
  }

  return { load, save, clear };
}
