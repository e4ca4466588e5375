/* Signing out on a shared phone: what waits is sent first; what is still
 * waiting after that (no connection) is only dropped when the person says so.
 * Then the person's stored entries (their IndexedDB), drafts, timers and kept
 * pages (the service worker's caches) are deleted, so whoever signs in next
 * finds nothing of them.
 */
import { deletePersonStore, openPersonStore, postPayload, waitingItems } from "./queue.mjs";
import { belongsTo } from "./rules.mjs";
import { reasonFor } from "../../observations/capture/sender.js";

/** What the confirm step says for `count` entries that could not be sent. */
export function confirmText(count) {
  const what = count === 1 ? "1 entry has" : `${count} entries have`;
  return (
    `${what} not reached the server yet (no connection). ` +
    "Signing out deletes them from this phone. Sign out anyway?"
  );
}

/** Send what waits in store, oldest first, one at a time; stops at the
 * first that cannot go (offline, a server error). Returns how many entries
 * are still on the phone (waiting, or refused and kept with the reason). */
export async function sendWaiting(store, { apiUrl, csrfToken, fetch = globalThis.fetch }) {
  for (const { key, item } of waitingItems(store)) {
    let response;
    try {
      response = await postPayload(item.payload, { apiUrl, csrfToken, fetch });
    } catch (error) {
      break;
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    if (response.redirected || !isJson) break;
    if (response.ok || response.status === 400 || response.status === 404) {
      // Taken (or refused for good, already shown to the person on its page).
      const queue = JSON.parse(store.getItem(key) || "{}");
      if (response.ok) delete queue[item.payload.client_id];
      else if (queue[item.payload.client_id]) {
        let body = null;
        try {
          body = await response.json();
        } catch (error) {
          body = null;
        }
        queue[item.payload.client_id].refused = reasonFor(response.status, body);
      }
      store.setItem(key, JSON.stringify(queue));
    } else break;
  }
  return waitingItems(store, { refused: true }).length;
}

/** Delete everything this person keeps in this browser. */
export async function forgetPerson({ person, userId, store, storage = globalThis.localStorage }) {
  if (store) {
    await store.settled();
    store.close();
  }
  await deletePersonStore(person);
  if (typeof caches !== "undefined") {
    for (const name of await caches.keys()) {
      if (belongsTo(name, person)) await caches.delete(name);
    }
  }
  try {
    for (let index = storage.length - 1; index >= 0; index -= 1) {
      const key = storage.key(index);
      const mine =
        key.startsWith("jel.timer.") ||
        (userId && (key === `jel.evidence.${userId}` || key.includes(`.${userId}.`) || key.endsWith(`.${userId}`)));
      if (mine) storage.removeItem(key);
    }
  } catch (error) {
    // Storage blocked: nothing was kept there either.
  }
}

/** Ask the service worker to drop every kept page and forget the person
 * (else a static file fetched next would be kept for them again). */
async function workerForgets() {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration("/");
  const worker = registration && registration.active;
  if (!worker) return;
  await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    worker.postMessage({ type: "forget" }, [channel.port2]);
    setTimeout(resolve, 3000);
  });
}

/** Hold the sign-out form: send, ask if anything still waits, forget, sign out. */
export function guardSignOut(form, { person, confirm = (text) => window.confirm(text) }) {
  if (!form || !person) return;
  let clear = false;
  form.addEventListener("submit", async (event) => {
    if (clear) return;
    event.preventDefault();
    const token = form.querySelector("[name=csrfmiddlewaretoken]");
    const store = await openPersonStore(person);
    let waiting = 0;
    if (store) {
      waiting = await sendWaiting(store, {
        apiUrl: form.getAttribute("data-entries-api"),
        csrfToken: token ? token.value : "",
      });
    }
    if (waiting && !confirm(confirmText(waiting))) {
      if (store) store.close();
      return;
    }
    await forgetPerson({ person, userId: form.getAttribute("data-user"), store });
    await workerForgets();
    clear = true;
    form.submit();
  });
}
