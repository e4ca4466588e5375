/* The sender: sends the queue in order, one request at a time. The server
 * treats a repeated client id as the same entry, so a resend never makes a
 * second row. It runs after each change, when the browser comes back online
 * and every few seconds (the page glue decides when). */

export const RETRY_MS = 5000;
export const SIGN_IN_AGAIN = "Sign in again to send the entries kept on this phone.";
export const VISIT_GONE =
  "This visit is no longer open to you (it may have been cancelled or moved).";

/** The sync line under the form for `waiting` entries of this visit, and
 * `refused` ones kept with the server's reason. */
export function statusText(waiting, online, refused = 0) {
  if (refused) {
    const kept = refused === 1 ? "1 entry was" : `${refused} entries were`;
    const more = waiting ? ` ${statusText(waiting, online)}` : "";
    return `${kept} not saved: see the reason below, then fix or copy it.${more}`;
  }
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

/** The server's reason for refusing an entry, in words for the observer. */
export function reasonFor(status, body) {
  if (status === 404) return VISIT_GONE;
  const messages = [];
  for (const value of Object.values(body || {})) {
    for (const message of Array.isArray(value) ? value : [value]) {
      if (typeof message === "string") messages.push(message);
    }
  }
  return messages.join(" ") || "The server did not accept this entry.";
}

/**
 * createSender({queue, visit, post, onSaved, onRefused, onStatus, online, later}):
 * post(payload) -> Promise<Response> (fetch); onSaved(clientId, row) marks
 * the entry on the page; onRefused(item) shows it with item.refused; onStatus(text) shows the sync line; online() says
 * whether the browser thinks it is online; later is setTimeout.
 */
export function createSender({
  queue,
  visit,
  post,
  onSaved = () => {},
  onRefused = () => {},
  onStatus = () => {},
  online = () => true,
  later = setTimeout,
}) {
  let sending = false;
  let soon = null;

  /** Show message, or the count of this visit's entries still waiting (a
   * timer start or stop waiting with them is not an entry). */
  function showStatus(message) {
    const entries = (items) => items.filter((item) => !item.payload.timer_url).length;
    onStatus(
      message ||
        statusText(
          entries(queue.pendingFor(visit)),
          online(),
          entries(queue.refusedFor(visit)),
        ),
    );
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
      if (answer === "saved") {
        queue.settle(item);
        let row = null;
        try {
          row = await response.json();
        } catch (error) {
          // Saved all the same; the page just cannot link to it yet.
        }
        onSaved(item.payload.client_id, row);
        next = true;
      } else if (answer === "refused") {
        let body = null;
        try {
          body = await response.json();
        } catch (error) {
          body = null;
        }
        const reason = reasonFor(response.status, body);
        if (queue.refuse(item, reason)) onRefused({ ...item, refused: reason });
        showStatus();
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
