/* The "Your entries" list: an entry typed on this page is shown at once,
 * dashed and "Not sent yet" until the server confirms it. */

const WORD_FIELDS = [
  ["text", ""],
  ["what", "What: "],
  ["so_what", "So what: "],
  ["now_what", "Now what: "],
];

function formatTime(date) {
  return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

/** createEntries({list, form}): the list element and the evidence form (for
 * the look-for names). */
export function createEntries({ list, form }) {
  function nodeFor(clientId) {
    return list.querySelector(`[data-client-id="${clientId}"]`);
  }

  /** Show (or refresh) the entry of payload, marked as not sent yet. */
  function show(payload) {
    let node = nodeFor(payload.client_id);
    if (!node) {
      node = document.createElement("li");
      node.className = "entry card card-body py-2 px-3 mb-2 is-pending";
      node.setAttribute("data-client-id", payload.client_id);
      list.insertBefore(node, list.firstChild);
      const empty = document.getElementById("no-entries");
      if (empty) empty.remove();
    }
    node.textContent = "";
    const meta = document.createElement("div");
    meta.className = "small text-body-secondary";
    const parts = [formatTime(new Date(payload.noted_at))];
    const select = form.querySelector("[name=look_for]");
    if (payload.look_for && select) {
      const option = select.querySelector(`option[value="${payload.look_for}"]`);
      if (option) parts.push(option.textContent);
    }
    if (payload.student_focus) {
      parts.push(payload.student_focus.charAt(0).toUpperCase() + payload.student_focus.slice(1));
    }
    meta.textContent = `${parts.join(" · ")} `;
    const state = document.createElement("span");
    state.className = "entry-state";
    state.textContent = "· Not sent yet";
    meta.appendChild(state);
    node.appendChild(meta);
    for (const [name, label] of WORD_FIELDS) {
      if (!payload[name]) continue;
      const p = document.createElement("p");
      p.className = `mb-1${name === "text" ? " entry-text" : ""}`;
      p.textContent = label + payload[name];
      node.appendChild(p);
    }
    node.classList.add("is-pending");
    return node;
  }

  /** The server confirmed the entry. */
  function markSaved(clientId) {
    const node = nodeFor(clientId);
    if (!node) return;
    node.classList.remove("is-pending");
    const state = node.querySelector(".entry-state");
    if (state) state.textContent = "· Saved";
  }

  return { show, markSaved };
}
