/*
 * The observation capture page, offline first: the page glue.
 *
 * Every entry (a tap on a look-for, or words typed) gets a client id the
 * moment it starts (ids.js). Its latest version is kept in localStorage until
 * the server answers 2xx for exactly that version (queue.js), and one sender
 * sends the queue in order, one request at a time (sender.js). Typing is
 * never blocked. The timer counts up quietly (timer.js); judging words get a
 * nudge while typing (nudge.js, with the server's list).
 *
 * ES modules from our own static files: no build step, nothing fetched from
 * elsewhere.
 */
import { createEntries } from "./entries.js";
import { newId } from "./ids.js";
import { judgingWordsIn, nudgeText } from "./nudge.js";
import { createQueue } from "./queue.js";
import { RETRY_MS, createSender } from "./sender.js";
import { createTimer, isRunning } from "./timer.js";

const TYPING_PAUSE_MS = 700;

function storageOrNothing() {
  // Reading window.localStorage itself throws where storage is blocked.
  try {
    return window.localStorage;
  } catch (error) {
    return { getItem: () => null, setItem: () => { throw error; } };
  }
}

function start(config) {
  const form = document.getElementById("evidence-form");
  const statusNode = document.getElementById("sync-status");
  const nudgeNode = document.getElementById("nudge");
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const storage = storageOrNothing();

  // --- Entries: the queue and its sender --------------------------------------
  const entries = createEntries({ list: document.getElementById("entries"), form });
  const queue = createQueue({ storage, key: config.storageKey });
  const sender = createSender({
    queue,
    visit: config.visit,
    post: (payload) =>
      fetch(config.apiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken,
        },
        body: JSON.stringify(payload),
      }),
    onSaved: entries.markSaved,
    onStatus: (text) => {
      statusNode.textContent = text;
    },
    online: () => navigator.onLine,
  });

  window.addEventListener("online", () => sender.flush());
  window.addEventListener("offline", () => sender.showStatus());
  setInterval(() => sender.flush(), RETRY_MS);

  // Entries kept from an earlier visit to this page are shown until sent.
  for (const item of queue.pendingFor(config.visit)) {
    if (!item.payload.is_tally) entries.show(item.payload);
  }

  // --- Look-for taps -------------------------------------------------------------
  for (const tallyForm of document.querySelectorAll(".tally-form")) {
    tallyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sender.enqueue({
        client_id: newId(),
        visit: config.visit,
        look_for: parseInt(tallyForm.getAttribute("data-look-for"), 10),
        is_tally: true,
        text: "",
        student_focus: "",
        what: "",
        so_what: "",
        now_what: "",
        noted_at: new Date().toISOString(),
      });
      const badge = tallyForm.querySelector(".tally-count");
      const count = parseInt(badge.getAttribute("data-count"), 10) + 1;
      badge.setAttribute("data-count", count);
      badge.innerHTML =
        `<span class="visually-hidden">seen </span>${count}` +
        '<span class="visually-hidden"> times</span>';
      const button = tallyForm.querySelector("button");
      button.classList.add("just-tapped");
      setTimeout(() => button.classList.remove("just-tapped"), 300);
    });
  }

  // --- Typing: saved as you type, kept until confirmed ------------------------------
  const clientIdInput = form.querySelector("[name=client_id]");
  let startedAt = null;
  let typingTimer = null;

  function fieldValue(name) {
    const field = form.querySelector(`[name=${name}]`);
    return field ? field.value.trim() : "";
  }

  function currentPayload() {
    const focus = form.querySelector("[name=student_focus]:checked");
    const lookFor = fieldValue("look_for");
    return {
      client_id: clientIdInput.value,
      visit: config.visit,
      text: fieldValue("text"),
      what: fieldValue("what"),
      so_what: fieldValue("so_what"),
      now_what: fieldValue("now_what"),
      look_for: lookFor ? parseInt(lookFor, 10) : null,
      student_focus: focus ? focus.value : "",
      is_tally: false,
      noted_at: (startedAt || new Date()).toISOString(),
    };
  }

  function hasWords(payload) {
    return Boolean(payload.text || payload.what || payload.so_what || payload.now_what);
  }

  function showNudge(payload) {
    const words = [payload.text, payload.what, payload.so_what, payload.now_what].join(" ");
    nudgeNode.textContent = nudgeText(judgingWordsIn(words, config.judgingWords), config.nudge);
    nudgeNode.hidden = !nudgeNode.textContent;
  }

  function saveDraft() {
    const payload = currentPayload();
    showNudge(payload);
    if (!hasWords(payload)) return;
    entries.show(payload);
    sender.enqueue(payload);
  }

  form.addEventListener("input", () => {
    if (!startedAt) startedAt = new Date();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(saveDraft, TYPING_PAUSE_MS);
  });
  form.addEventListener("change", (event) => {
    // A tag chosen after the words were typed belongs to the same entry.
    if (event.target.name === "student_focus" || event.target.name === "look_for") {
      clearTimeout(typingTimer);
      saveDraft();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    const payload = currentPayload();
    if (!hasWords(payload)) {
      sender.showStatus("Write what students were doing or saying first.");
      return;
    }
    showNudge(payload);
    entries.show(payload);
    sender.enqueue(payload);
    // A fresh entry: new id, empty words; tags stay unset for the next one.
    form.reset();
    clientIdInput.value = newId();
    startedAt = null;
    const first = form.querySelector("textarea");
    if (first) first.focus();
  });

  // --- The quiet timer -------------------------------------------------------------
  const timerNode = document.getElementById("timer");
  const timerNote = document.getElementById("timer-note");
  const startForm = document.getElementById("timer-start-form");
  const stopForm = document.getElementById("timer-stop-form");
  const timer = createTimer({
    storage,
    key: `jel.timer.${config.visit}`,
    initial: { startedAt: config.startedAt, endedAt: config.endedAt },
    plannedMinutes: config.minutes,
  });

  function render() {
    const reading = timer.reading();
    timerNode.textContent = reading.text;
    if (reading.over === null) return;
    timerNode.classList.toggle("timer-over", reading.over);
    if (reading.justOver) {
      timerNote.textContent = `The planned ${config.minutes} minutes are up.`;
    }
  }

  function showTimer() {
    timer.save();
    startForm.hidden = isRunning(timer.state());
    stopForm.hidden = !startForm.hidden;
    render();
  }

  function postTimer(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null);
  }

  startForm.addEventListener("submit", (event) => {
    event.preventDefault();
    timer.start();
    timerNote.textContent = "";
    showTimer();
    postTimer(config.startUrl).then((answer) => {
      timer.started(answer);
      showTimer();
    });
  });
  stopForm.addEventListener("submit", (event) => {
    event.preventDefault();
    timer.stop();
    showTimer();
    postTimer(config.stopUrl);
  });

  showTimer();
  setInterval(render, 1000);
  sender.showStatus();
  sender.flush();
}

const configNode = document.getElementById("capture-config");
if (configNode) start(JSON.parse(configNode.textContent));
