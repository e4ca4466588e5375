/* The "Your entries" list: an entry saved on this page is shown at once,
 * dashed and "Not sent yet" until the server confirms it; one the server
 * refused stays, with its reason and a way to copy it or put it back in the
 * form. Times are the school's, as the server writes them. */

const WORD_FIELDS = [
  ["text", ""],
  ["what", "What: "],
  ["so_what", "So what: "],
  ["now_what", "Now what: "],
];

/** "9:05 AM" in the school's time zone (Django's "g:i A"), whatever the
 * phone's own zone. */
export function formatTime(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
    timeZone,
  }).formatToParts(date);
  const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
  return `${part("hour")}:${part("minute")} ${part("dayPeriod").toUpperCase()}`;
}

/** The words of payload as one text, for copying. */
export function wordsOf(payload) {
  return WORD_FIELDS.filter(([name]) => payload[name])
    .map(([name, label]) => label + payload[name])
    .join("\n");
}

/** createEntries({list, form, timeZone, editUrl, onPutBack, copy}): the list
 * element, the evidence form (for the look-for names), the school's zone, the
 * edit address with 0 for the entry's id, what "Put back in the form" does
 * with a refused item, and copy(text) -> Promise (the clipboard). */
export function createEntries({
  list,
  form,
  timeZone,
  editUrl = "",
  onPutBack = () => {},
  copy = (text) => navigator.clipboard.writeText(text),
}) {
  function nodeFor(clientId) {
    return list.querySelector(`[data-client-id="${clientId}"]`);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Show (or refresh) the entry of payload, marked as not sent yet. */
  function show(payload) {
    let node = nodeFor(payload.client_id);
    if (!node) {
      node = element("li", "entry card card-body py-2 px-3 mb-2 is-pending");
      node.setAttribute("data-client-id", payload.client_id);
      list.insertBefore(node, list.firstChild);
      const empty = document.getElementById("no-entries");
      if (empty) empty.remove();
    }
    node.textContent = "";
    node.classList.remove("is-refused");
    const meta = element("div", "small text-body-secondary");
    const when = element("time", "", formatTime(new Date(payload.noted_at), timeZone));
    when.setAttribute("datetime", payload.noted_at);
    meta.appendChild(when);
    const parts = [];
    const select = form && form.querySelector("[name=look_for]");
    if (payload.look_for && select) {
      const option = select.querySelector(`option[value="${payload.look_for}"]`);
      if (option) parts.push(option.textContent);
    }
    if (payload.student_focus) {
      parts.push(payload.student_focus.charAt(0).toUpperCase() + payload.student_focus.slice(1));
    }
    meta.appendChild(document.createTextNode(parts.map((p) => ` · ${p}`).join("") + " "));
    meta.appendChild(element("span", "entry-state", "· Not sent yet"));
    node.appendChild(meta);
    for (const [name, label] of WORD_FIELDS) {
      if (!payload[name]) continue;
      node.appendChild(element("p", `mb-1${name === "text" ? " entry-text" : ""}`, label + payload[name]));
    }
    node.classList.add("is-pending");
    return node;
  }

  /** The server confirmed the entry; row is its answer (with the entry's id). */
  function markSaved(clientId, row) {
    const node = nodeFor(clientId);
    if (!node) return;
    node.classList.remove("is-pending", "is-refused");
    const state = node.querySelector(".entry-state");
    if (state) state.textContent = "· Saved";
    if (row && row.id && editUrl && !node.querySelector(".entry-edit")) {
      const edit = element("a", "entry-edit", "Edit");
      edit.href = editUrl.replace("/0/", `/${row.id}/`);
      edit.appendChild(element("span", "visually-hidden", ` the entry of ${node.querySelector("time").textContent}`));
      state.after(document.createTextNode(" · "), edit);
    }
  }

  /** The server refused item (item.refused is its reason): keep it in sight. */
  function markRefused(item) {
    const node = show(item.payload);
    node.classList.remove("is-pending");
    node.classList.add("is-refused");
    node.querySelector(".entry-state").textContent = "· Not saved";
    const reason = element("p", "entry-reason small mb-1", `Not saved: ${item.refused}`);
    node.insertBefore(reason, node.children[1] || null);
    const actions = element("div", "d-flex flex-wrap gap-2");
    const copyButton = element("button", "btn btn-sm btn-outline-secondary", "Copy the words");
    copyButton.type = "button";
    copyButton.addEventListener("click", () => {
      Promise.resolve()
        .then(() => copy(wordsOf(item.payload)))
        .then(() => {
          copyButton.textContent = "Copied";
        })
        .catch(() => {
          copyButton.textContent = "Select the words above to copy them";
        });
    });
    const putBack = element("button", "btn btn-sm btn-outline-primary", "Put back in the form to fix");
    putBack.type = "button";
    putBack.addEventListener("click", () => {
      onPutBack(item);
      node.remove();
    });
    actions.append(copyButton, putBack);
    node.appendChild(actions);
    return node;
  }

  return { show, markSaved, markRefused };
}
