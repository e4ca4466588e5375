/* The sender: sends the queue in order, one request at a time. The server
 * treats a repeated client id as the same entry, so a resend never makes a
 * second row. It runs after each change, when the browser comes back online
 * and every few seconds (the page glue decides when). */

export const RETRY_MS = 5000;
export const SIGN_IN_AGAIN = "Sign in again to send the entries kept on this phone.";
export const NOT_TAKEN = "One entry could not be saved; please type it again.";

/** The sync line under the form for `waiting` entries of this visit. */
export function statusText(waiting, online) {
  if (!waiting) return "All entries saved.";
  if (!online) {
    return waiting === 1
      ? "1 entry kept on this phone; it will be sent when you are back online."
      : `${waiting} entries kept on this phone; they will be sent when you are back online.`;
  }
  return `Saving ${waiting}${waiting === 1 ? " entry…" : " entries…"}`;
}

/**
 * What a server answer means for the entry sent:
 * "saved" (2xx JSON), "refused" (400/404 JSON: this version will never be
 * taken, and keeping it would block the queue for ever), "sign-in" (kept: the
 * session ended) or "kept" (a server error: try again later).
 */
export function answerFor(response) {
  // An expired session answers with a redirect to the sign-in page, which
  // fetch follows to a 200: only a JSON answer is a confirmation.
  const isJson = (response.headers.get("Content-Type") || "").includes("json");
  if (response.redirected) return "sign-in";
  if (!isJson) return "kept";
  if (response.ok) return "saved";
  if (response.status === 400 || response.status === 404) return "refused";
  if (response.status === 403) return "sign-in";
  return "kept";
}

/**
 * createSender({queue, visit, post, onSaved, onStatus, online, later}):
 * post(payload) -> Promise<Response> (fetch); onSaved(clientId) marks the
 * entry on the page; onStatus(text) shows the sync line; online() says
 * whether the browser thinks it is online; later is setTimeout.
 */
export function createSender({
  queue,
  visit,
  post,
  onSaved = () => {},
  onStatus = () => {},
  online = () => true,
  later = setTimeout,
}) {
  let sending = false;
  let soon = null;

  /** Show message, or the count of this visit's entries still waiting. */
  function showStatus(message) {
    onStatus(message || statusText(queue.pendingFor(visit).length, online()));
  }

  /** Send shortly (changes come in bursts); one timer at a time. */
  function flushSoon() {
    if (soon) return;
    soon = later(() => {
      soon = null;
      flush();
    }, 50);
  }

  /** Send the first waiting entry; on success, carry on with the next. */
  async function flush() {
    if (sending) return;
    const waiting = queue.sendOrder(visit);
    if (!waiting.length) {
      showStatus();
      return;
    }
    sending = true;
    const item = waiting[0];
    let next = false;
    try {
      const response = await post(item.payload);
      const answer = answerFor(response);
      if (answer === "saved" || answer === "refused") queue.settle(item);
      if (answer === "saved") {
        onSaved(item.payload.client_id);
        await response.json();
        next = true;
      } else if (answer === "refused") {
        showStatus(NOT_TAKEN);
        next = true;
      } else {
        showStatus(answer === "sign-in" ? SIGN_IN_AGAIN : undefined);
      }
    } catch (error) {
      // Offline or the server is unreachable: keep everything, try later.
      showStatus();
    } finally {
      sending = false;
    }
    if (next) flushSoon();
  }

  /** Queue payload as its entry's newest version and send it soon. */
  function enqueue(payload) {
    const item = queue.put(payload);
    showStatus();
    flushSoon();
    return item;
  }

  return { enqueue, flush, flushSoon, showStatus };
}
