/*
 * The observation capture page, offline first: the page glue.
 *
 * Words typed are a draft kept on this phone (draft.js) until the observer
 * presses Save entry; then the entry, with a client id made in the browser
 * (ids.js), is kept in IndexedDB (the person's database, static/js/pwa/
 * queue.mjs; localStorage where a browser has none) until the server answers
 * 2xx for exactly that version (queue.js), and one sender sends the queue in
 * order, one request at a time (sender.js), on reconnect, on focus and when
 * Background Sync wakes the page. Timer starts and stops wait in the same
 * queue, so they reach the server in the order they happened. An entry the server refuses stays, with its
 * reason. Typing is never blocked or cut off; a counter says when an entry is
 * over the limit (limits.js). The timer counts up quietly (timer.js); judging
 * words get a nudge while typing (nudge.js, with the server's list). Times
 * are shown in the school's zone (entries.js).
 *
 * ES modules from our own static files: no build step, nothing fetched from
 * elsewhere.
 */
import { createDraft, hasWords } from "./draft.js";
import { createEntries, formatTime } from "./entries.js";
import { newId } from "./ids.js";
import { countText, tooLong, tooLongText } from "./limits.js";
import { judgingWordsIn, nudgeText } from "./nudge.js";
import { createQueue } from "./queue.js";
import { RETRY_MS, createSender } from "./sender.js";
import { createTimer, isRunning } from "./timer.js";
import { migrateFromLocalStorage, openPersonStore, postPayload } from "../../js/pwa/queue.mjs";

const DRAFT_PAUSE_MS = 300;
// Reload at the start time when the page was opened before it (a phone left
// open on the page), but not for a visit days away.
const RELOAD_WITHIN_MS = 12 * 60 * 60 * 1000;

function storageOrNothing() {
  // Reading window.localStorage itself throws where storage is blocked.
  try {
    return window.localStorage;
  } catch (error) {
    return { getItem: () => null, setItem: () => { throw error; } };
  }
}

function waitForTheStart(config) {
  // Before the visit: the page shows the look-fors to read; at the start
  // time it opens itself for recording.
  if (!config.startsAt) return;
  const wait = new Date(config.startsAt) - Date.now();
  if (wait > 0 && wait < RELOAD_WITHIN_MS) setTimeout(() => window.location.reload(), wait + 1000);
}

function person() {
  const meta = document.querySelector("meta[name=jel-person]");
  return meta ? meta.content : "";
}

/** The copy kept for offline use opens itself at the start time by the
 * phone's clock (no network to reload from); until then it reads as the
 * page before the start. */
function openAtTheStart(config) {
  const open = () => {
    for (const node of document.querySelectorAll("[data-until-open]")) node.hidden = true;
    for (const node of document.querySelectorAll("[data-when-open]")) node.hidden = false;
    start({ ...config, started: true, prepared: false });
  };
  const wait = new Date(config.opensAt) - Date.now();
  if (wait <= 0) open();
  else if (wait < RELOAD_WITHIN_MS) setTimeout(open, wait + 1000);
}

function askForBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync && registration.sync.register("jel-entries"))
    .catch(() => {});
}

function start(config) {
  if (!config.started) {
    if (config.prepared && config.opensAt) openAtTheStart(config);
    else waitForTheStart(config);
    return;
  }
  const form = document.getElementById("evidence-form");
  const statusNode = document.getElementById("sync-status");
  const nudgeNode = document.getElementById("nudge");
  const draftNote = document.getElementById("draft-note");
  const anyToken = document.querySelector("[name=csrfmiddlewaretoken]");
  const csrfToken = anyToken ? anyToken.value : "";
  const storage = storageOrNothing();
  // Entries wait in the person's IndexedDB. It opens asynchronously, and the
  // page takes taps at once: until it is open they wait in localStorage, and
  // move to IndexedDB with what an older release kept there.
  let entryStore = null;
  const entryStorage = {
    getItem: (key) => (entryStore || storage).getItem(key),
    setItem: (key, value) => (entryStore || storage).setItem(key, value),
  };
  // Set below when the page has the entry form.
  let putBack = () => {};

  // --- Entries: the queue and its sender --------------------------------------
  const entries = createEntries({
    list: document.getElementById("entries"),
    form,
    timeZone: config.timeZone,
    editUrl: config.editUrl,
    onPutBack: (item) => putBack(item),
  });
  const queue = createQueue({ storage: entryStorage, key: config.storageKey });
  if (config.oldStorageKey) queue.adopt(config.oldStorageKey, config.visit);
  const sender = createSender({
    queue,
    visit: config.visit,
    post: (payload) => postPayload(payload, { apiUrl: config.apiUrl, csrfToken }),
    onSaved: (clientId, row) => {
      if (timerSteps.has(clientId)) timerSaved(row);
      else entries.markSaved(clientId, row);
    },
    onRefused: (item) => {
      // A timer step the server refuses (a visit not started by its clock)
      // is let go: the timer on the phone still shows the time.
      if (item.payload.timer_url) queue.remove(item.payload.client_id);
      else entries.markRefused(item);
    },
    onStatus: (text) => {
      if (statusNode) statusNode.textContent = text;
    },
    online: () => navigator.onLine,
  });

  // Timer steps waiting in the queue, by client id; the start's answer gives
  // the server's start time (a resumed timer counts from its first start).
  const timerSteps = new Set();
  let timerSaved = () => {};
  const enqueue = (payload) => {
    const item = sender.enqueue(payload);
    if (!navigator.onLine) askForBackgroundSync();
    return item;
  };

  window.addEventListener("online", () => sender.flush());
  window.addEventListener("offline", () => sender.showStatus());
  window.addEventListener("focus", () => sender.flush());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sender.flush();
  });
  // Background Sync: the service worker says the connection is back.
  window.addEventListener("jel:send-waiting", () => sender.flush());
  setInterval(() => sender.flush(), RETRY_MS);

  // Entries kept from an earlier visit to this page are shown until sent;
  // refused ones with their reason.
  // Taps kept on the phone count on the look-for buttons too.
  const showKeptTallies = (pendingTallies) => {
    for (const tallyForm of document.querySelectorAll(".tally-form")) {
      const waiting = pendingTallies[tallyForm.getAttribute("data-look-for")];
      if (!waiting) continue;
      const badge = tallyForm.querySelector(".tally-count");
      showTally(tallyForm, parseInt(badge.getAttribute("data-count"), 10) + waiting);
    }
  };
  const showKept = (skip = new Set()) => {
    const pendingTallies = {};
    for (const item of queue.pendingFor(config.visit)) {
      if (skip.has(item.payload.client_id)) continue;
      if (item.payload.timer_url) timerSteps.add(item.payload.client_id);
      else if (item.payload.is_tally) {
        pendingTallies[item.payload.look_for] = (pendingTallies[item.payload.look_for] || 0) + 1;
      } else entries.show(item.payload);
    }
    for (const item of queue.refusedFor(config.visit)) {
      if (!item.payload.timer_url && !skip.has(item.payload.client_id)) entries.markRefused(item);
    }
    showKeptTallies(pendingTallies);
  };

  // --- Look-for taps -------------------------------------------------------------
  const showTally = (tallyForm, count) => {
    const badge = tallyForm.querySelector(".tally-count");
    badge.setAttribute("data-count", count);
    badge.innerHTML =
      `<span class="visually-hidden">seen </span>${count}` +
      '<span class="visually-hidden"> times</span>';
  };
  for (const tallyForm of document.querySelectorAll(".tally-form")) {
    tallyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      enqueue({
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
      showTally(tallyForm, parseInt(badge.getAttribute("data-count"), 10) + 1);
      const button = tallyForm.querySelector("button");
      button.classList.add("just-tapped");
      setTimeout(() => button.classList.remove("just-tapped"), 300);
    });
  }

  // --- Typing: a draft on this phone until Save entry --------------------------------
  if (form) {
    const clientIdInput = form.querySelector("[name=client_id]");
    const draft = createDraft({ storage, key: config.draftKey });
    let startedAt = null;
    let draftTimer = null;

    const fieldValue = (name, raw = false) => {
      const field = form.querySelector(`[name=${name}]`);
      if (!field) return "";
      return raw ? field.value : field.value.trim();
    };

    // raw: the words as typed (the draft keeps them so; the entry is trimmed).
    const currentPayload = (raw = false) => {
      const focus = form.querySelector("[name=student_focus]:checked");
      const lookFor = fieldValue("look_for");
      return {
        client_id: clientIdInput.value,
        visit: config.visit,
        text: fieldValue("text", raw),
        what: fieldValue("what", raw),
        so_what: fieldValue("so_what", raw),
        now_what: fieldValue("now_what", raw),
        look_for: lookFor ? parseInt(lookFor, 10) : null,
        student_focus: focus ? focus.value : "",
        is_tally: false,
        noted_at: (startedAt || new Date()).toISOString(),
      };
    };

    const showNudge = (payload) => {
      const words = [payload.text, payload.what, payload.so_what, payload.now_what].join(" ");
      nudgeNode.textContent = nudgeText(judgingWordsIn(words, config.judgingWords), config.nudge);
      nudgeNode.hidden = !nudgeNode.textContent;
    };

    const showCounters = () => {
      for (const counter of form.querySelectorAll("[data-counter-for]")) {
        const box = document.getElementById(counter.getAttribute("data-counter-for"));
        const length = box.value.trim().length;
        counter.textContent = countText(length, config.maxChars);
        const over = length > config.maxChars;
        counter.classList.toggle("char-count-over", over);
        box.classList.toggle("is-invalid", over);
      }
    };

    const showDraftNote = (kept) => {
      draftNote.hidden = !kept;
      draftNote.textContent = kept
        ? "Draft kept on this phone; it is not an entry until you press Save entry."
        : "";
    };

    const keepDraft = () => {
      const payload = currentPayload(true);
      showNudge(payload);
      showDraftNote(draft.save({ ...payload, startedAt: startedAt && startedAt.toISOString() }));
    };

    const fillForm = (payload) => {
      for (const name of ["text", "what", "so_what", "now_what"]) {
        const field = form.querySelector(`[name=${name}]`);
        if (field) field.value = payload[name] || "";
      }
      const select = form.querySelector("[name=look_for]");
      if (select) select.value = payload.look_for ? String(payload.look_for) : "";
      for (const radio of form.querySelectorAll("[name=student_focus]")) {
        radio.checked = radio.value === payload.student_focus;
      }
      if (payload.client_id) clientIdInput.value = payload.client_id;
      const when = payload.startedAt || payload.noted_at;
      startedAt = when ? new Date(when) : null;
      showCounters();
      showNudge(payload);
    };

    // A refused entry back in the form, under its own id: fixed and saved,
    // it replaces the refused version.
    putBack = (item) => {
      queue.remove(item.payload.client_id);
      fillForm(item.payload);
      keepDraft();
      sender.showStatus();
      const first = form.querySelector("textarea");
      if (first) first.focus();
    };

    const kept = draft.load();
    if (kept) {
      fillForm(kept);
      showDraftNote(true);
    }
    showCounters();

    form.addEventListener("input", () => {
      if (!startedAt) startedAt = new Date();
      showCounters();
      clearTimeout(draftTimer);
      draftTimer = setTimeout(keepDraft, DRAFT_PAUSE_MS);
    });
    form.addEventListener("change", () => {
      clearTimeout(draftTimer);
      keepDraft();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(draftTimer);
      const payload = currentPayload();
      if (!hasWords(payload)) {
        sender.showStatus("Write what students were doing or saying first.");
        return;
      }
      const long = tooLong(payload, config.maxChars);
      if (long) {
        sender.showStatus(tooLongText(payload[long].length, config.maxChars));
        form.querySelector(`[name=${long}]`).focus();
        return;
      }
      showNudge(payload);
      entries.show(payload);
      enqueue(payload);
      draft.clear();
      showDraftNote(false);
      // A fresh entry: new id, empty words; tags stay unset for the next one.
      form.reset();
      clientIdInput.value = newId();
      startedAt = null;
      showCounters();
      const first = form.querySelector("textarea");
      if (first) first.focus();
    });
  }

  // --- The quiet timer -------------------------------------------------------------
  const timerNode = document.getElementById("timer");
  const timerNote = document.getElementById("timer-note");
  const startForm = document.getElementById("timer-start-form");
  const stopForm = document.getElementById("timer-stop-form");
  const startLabel = document.getElementById("timer-start-label");
  const finished = document.getElementById("finished");
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

  function showFinished() {
    const state = timer.state();
    const done = Boolean(state.startedAt && state.endedAt);
    finished.hidden = !done;
    if (!done) return;
    const heading = finished.querySelector("h2");
    const at = formatTime(new Date(state.endedAt), config.timeZone);
    heading.textContent = `Observation finished at ${at}`;
  }

  function showTimer() {
    timer.save();
    const state = timer.state();
    startLabel.textContent = state.startedAt && state.endedAt ? "Resume" : "Start";
    startForm.hidden = isRunning(state);
    stopForm.hidden = !startForm.hidden;
    render();
    showFinished();
  }

  // Through the queue: a start or stop made offline is sent when the
  // connection returns, in its place among the entries.
  function postTimer(url) {
    const clientId = newId();
    timerSteps.add(clientId);
    enqueue({ client_id: clientId, visit: config.visit, timer_url: url });
  }
  timerSaved = (answer) => {
    // A start sent late (made offline) does not move the phone's start.
    const shown = timer.state().startedAt;
    const earlier = answer && answer.started_at && (!shown || new Date(answer.started_at) < new Date(shown));
    if (earlier) {
      timer.started(answer);
      showTimer();
    }
  };

  if (startForm) {
    startForm.addEventListener("submit", (event) => {
      event.preventDefault();
      timer.resume();
      timerNote.textContent = "";
      showTimer();
      postTimer(config.startUrl);
    });
    stopForm.addEventListener("submit", (event) => {
      event.preventDefault();
      timer.stop();
      showTimer();
      finished.focus();
      postTimer(config.stopUrl);
    });
    showTimer();
    setInterval(render, 1000);
  }
  showKept();
  openPersonStore(person()).then((store) => {
    if (store) {
      // What localStorage holds now is on the page already (kept from
      // before, or taken while IndexedDB opened).
      let takenHere = new Set();
      try {
        takenHere = new Set(Object.keys(JSON.parse(storage.getItem(config.storageKey)) || {}));
      } catch (error) {
        // Nothing readable there.
      }
      migrateFromLocalStorage(storage, store, [config.storageKey, config.oldStorageKey]);
      entryStore = store;
      // Entries kept from an earlier visit to this page, shown until sent.
      showKept(takenHere);
    }
    sender.showStatus();
    sender.flush();
  });
  sender.showStatus();
  sender.flush();
}

const configNode = document.getElementById("capture-config");
if (configNode) start(JSON.parse(configNode.textContent));
