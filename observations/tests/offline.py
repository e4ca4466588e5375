"""Reading what the capture page keeps on the phone (the person's IndexedDB)."""

import json

# The capture page's queue of this visit's person and school, as stored.
READ_KEPT = """async () => {
  const person = document.querySelector("meta[name=jel-person]").content;
  const config = document.getElementById("capture-config").textContent;
  const key = JSON.parse(config).storageKey;
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes(`jel-entries-${person}`)) return "{}";
  const db = await new Promise((ok, no) => {
    const opening = indexedDB.open(`jel-entries-${person}`, 1);
    opening.onsuccess = () => ok(opening.result);
    opening.onerror = () => no(opening.error);
  });
  const value = await new Promise((ok) => {
    const reading = db.transaction("kv").objectStore("kv").get(key);
    reading.onsuccess = () => ok(reading.result);
  });
  db.close();
  return value || "{}";
}"""


def kept_entries(page) -> list[dict]:
    """The items waiting on the phone for this page's person, oldest first."""
    items = list(json.loads(page.evaluate(READ_KEPT)).values())
    return sorted(items, key=lambda item: item["queuedAt"])
