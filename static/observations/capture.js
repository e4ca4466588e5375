/*
 * The observation capture page, offline first.
 *
 * Every entry (a tap on a look-for, or words typed) gets a client id (a UUID)
 * the moment it starts. Its latest version is kept in localStorage under that
 * id until the server answers 2xx for exactly that version, so a dropped
 * school Wi-Fi loses nothing. One sender sends the queue in order, one request
 * at a time; the server treats a repeated client id as the same entry, so a
 * resend never makes a second row. The sender runs after each change, on the
 * browser's `online` event and every few seconds. Typing is never blocked.
 *
 * The timer counts up quietly and only changes colour at the planned length.
 */
(function () {
  "use strict";

  var configNode = document.getElementById("capture-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var form = document.getElementById("evidence-form");
  var statusNode = document.getElementById("sync-status");
  var entriesList = document.getElementById("entries");
  var nudgeNode = document.getElementById("nudge");
  var csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var RETRY_MS = 5000;
  var TYPING_PAUSE_MS = 700;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Older browsers: RFC 4122 version 4 from getRandomValues.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) +
      "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- The queue, in localStorage ------------------------------------------------

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(config.storageKey)) || {};
    } catch (error) {
      return {};
    }
  }

  function writeQueue(queue) {
    try {
      localStorage.setItem(config.storageKey, JSON.stringify(queue));
    } catch (error) {
      // Storage full or blocked: the entry still goes to the server directly.
    }
  }

  var memoryQueue = readQueue();

  function enqueue(payload) {
    var queue = readQueue();
    var previous = queue[payload.client_id];
    var item = {
      payload: payload,
      version: previous ? previous.version + 1 : 1,
      queuedAt: previous ? previous.queuedAt : Date.now()
    };
    queue[payload.client_id] = item;
    memoryQueue = queue;
    writeQueue(queue);
    showStatus();
    flushSoon();
  }

  function pendingForThisVisit() {
    var queue = readQueue();
    return Object.keys(queue).map(function (id) { return queue[id]; })
      .filter(function (item) { return item.payload.visit === config.visit; })
      .sort(function (a, b) { return a.queuedAt - b.queuedAt; });
  }

  function showStatus(message) {
    if (message) {
      statusNode.textContent = message;
      return;
    }
    var waiting = pendingForThisVisit().length;
    if (!waiting) {
      statusNode.textContent = "All entries saved.";
    } else if (!navigator.onLine) {
      statusNode.textContent = waiting === 1
        ? "1 entry kept on this phone; it will be sent when you are back online."
        : waiting + " entries kept on this phone; they will be sent when you are back online.";
    } else {
      statusNode.textContent = "Saving " + waiting + (waiting === 1 ? " entry…" : " entries…");
    }
  }

  // --- The sender --------------------------------------------------------------------

  var sending = false;
  var flushTimer = null;

  function flushSoon() {
    if (flushTimer) return;
    flushTimer = setTimeout(function () {
      flushTimer = null;
      flush();
    }, 50);
  }

  function markSaved(clientId) {
    var node = entriesList.querySelector('[data-client-id="' + clientId + '"]');
    if (!node) return;
    node.classList.remove("is-pending");
    var state = node.querySelector(".entry-state");
    if (state) state.textContent = "· Saved";
  }

  function send(item) {
    return fetch(config.apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken
      },
      body: JSON.stringify(item.payload)
    });
  }

  function flush() {
    if (sending) return;
    var waiting = pendingForThisVisit();
    // Entries of other visits (an earlier page) go too, so nothing is stranded.
    var queue = readQueue();
    Object.keys(queue).forEach(function (id) {
      if (queue[id].payload.visit !== config.visit) waiting.push(queue[id]);
    });
    if (!waiting.length) { showStatus(); return; }
    sending = true;
    var item = waiting[0];
    send(item).then(function (response) {
      var current = readQueue();
      var stored = current[item.payload.client_id];
      // An expired session answers with a redirect to the sign-in page, which
      // fetch follows to a 200: only a JSON answer is a confirmation.
      var isJson = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      if (response.redirected || !isJson) {
        // Kept: a sign-in page or a server error page is not a confirmation.
        sending = false;
        showStatus(response.redirected
          ? "Sign in again to send the entries kept on this phone."
          : undefined);
        return null;
      }
      if (response.ok || response.status === 400 || response.status === 404) {
        // 2xx: confirmed. 400/404: the server will never take this version;
        // keeping it would block the queue for ever.
        if (stored && stored.version === item.version) {
          delete current[item.payload.client_id];
          writeQueue(current);
        }
        if (response.ok) {
          markSaved(item.payload.client_id);
          return response.json().then(function (data) {
            sending = false;
            flushSoon();
          });
        }
        sending = false;
        showStatus("One entry could not be saved; please type it again.");
        flushSoon();
        return null;
      }
      sending = false;
      if (response.status === 403) {
        showStatus("Sign in again to send the entries kept on this phone.");
      } else {
        showStatus();
      }
      return null;
    }).catch(function () {
      // Offline or the server is unreachable: keep everything, try later.
      sending = false;
      showStatus();
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { showStatus(); });
  setInterval(flush, RETRY_MS);

  // --- Entries on the page --------------------------------------------------------

  function formatTime(date) {
    return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  }

  function entryNode(payload) {
    var node = entriesList.querySelector('[data-client-id="' + payload.client_id + '"]');
    if (!node) {
      node = document.createElement("li");
      node.className = "entry card card-body py-2 px-3 mb-2 is-pending";
      node.setAttribute("data-client-id", payload.client_id);
      entriesList.insertBefore(node, entriesList.firstChild);
      var empty = document.getElementById("no-entries");
      if (empty) empty.remove();
    }
    node.textContent = "";
    var meta = document.createElement("div");
    meta.className = "small text-body-secondary";
    var parts = [formatTime(new Date(payload.noted_at))];
    var select = form.querySelector("[name=look_for]");
    if (payload.look_for && select) {
      var option = select.querySelector('option[value="' + payload.look_for + '"]');
      if (option) parts.push(option.textContent);
    }
    if (payload.student_focus) {
      parts.push(payload.student_focus.charAt(0).toUpperCase() + payload.student_focus.slice(1));
    }
    meta.textContent = parts.join(" · ") + " ";
    var state = document.createElement("span");
    state.className = "entry-state";
    state.textContent = "· Not sent yet";
    meta.appendChild(state);
    node.appendChild(meta);
    [["text", ""], ["what", "What: "], ["so_what", "So what: "], ["now_what", "Now what: "]]
      .forEach(function (pair) {
        if (!payload[pair[0]]) return;
        var p = document.createElement("p");
        p.className = "mb-1" + (pair[0] === "text" ? " entry-text" : "");
        p.textContent = pair[1] + payload[pair[0]];
        node.appendChild(p);
      });
    node.classList.add("is-pending");
    return node;
  }

  // Entries kept from an earlier visit to this page are shown until sent.
  pendingForThisVisit().forEach(function (item) {
    if (!item.payload.is_tally) entryNode(item.payload);
  });

  // --- Look-for taps -----------------------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll(".tally-form"), function (tallyForm) {
    tallyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var lookFor = parseInt(tallyForm.getAttribute("data-look-for"), 10);
      enqueue({
        client_id: newId(),
        visit: config.visit,
        look_for: lookFor,
        is_tally: true,
        text: "",
        student_focus: "",
        what: "", so_what: "", now_what: "",
        noted_at: new Date().toISOString()
      });
      var badge = tallyForm.querySelector(".tally-count");
      var count = parseInt(badge.getAttribute("data-count"), 10) + 1;
      badge.setAttribute("data-count", count);
      badge.innerHTML = '<span class="visually-hidden">seen </span>' + count +
        '<span class="visually-hidden"> times</span>';
      var button = tallyForm.querySelector("button");
      button.classList.add("just-tapped");
      setTimeout(function () { button.classList.remove("just-tapped"); }, 300);
    });
  });

  // --- Typing: saved as you type, kept until confirmed --------------------------------

  var clientIdInput = form.querySelector("[name=client_id]");
  var startedAt = null;
  var typingTimer = null;

  function fieldValue(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value.trim() : "";
  }

  function currentPayload() {
    var focus = form.querySelector("[name=student_focus]:checked");
    var lookFor = fieldValue("look_for");
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
      noted_at: (startedAt || new Date()).toISOString()
    };
  }

  function hasWords(payload) {
    return Boolean(payload.text || payload.what || payload.so_what || payload.now_what);
  }

  var judgingPattern = new RegExp(
    "\\b(" + config.judgingWords.map(function (word) {
      return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")\\b", "gi");

  function showNudge(payload) {
    var words = [];
    [payload.text, payload.what, payload.so_what, payload.now_what].join(" ")
      .replace(judgingPattern, function (match) {
        var word = match.toLowerCase();
        if (words.indexOf(word) === -1) words.push(word);
        return match;
      });
    if (words.length) {
      nudgeNode.textContent = "You wrote “" + words.join(", ") + "”. " + config.nudge;
      nudgeNode.hidden = false;
    } else {
      nudgeNode.textContent = "";
      nudgeNode.hidden = true;
    }
  }

  function saveDraft() {
    var payload = currentPayload();
    showNudge(payload);
    if (!hasWords(payload)) return;
    entryNode(payload);
    enqueue(payload);
  }

  form.addEventListener("input", function () {
    if (!startedAt) startedAt = new Date();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(saveDraft, TYPING_PAUSE_MS);
  });
  form.addEventListener("change", function (event) {
    // A tag chosen after the words were typed belongs to the same entry.
    if (event.target.name === "student_focus" || event.target.name === "look_for") {
      clearTimeout(typingTimer);
      saveDraft();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typingTimer);
    var payload = currentPayload();
    if (!hasWords(payload)) {
      showStatus("Write what students were doing or saying first.");
      return;
    }
    showNudge(payload);
    entryNode(payload);
    enqueue(payload);
    // A fresh entry: new id, empty words; tags stay unset for the next one.
    form.reset();
    clientIdInput.value = newId();
    startedAt = null;
    var first = form.querySelector("textarea");
    if (first) first.focus();
  });

  // --- The quiet timer --------------------------------------------------------------

  var timerNode = document.getElementById("timer");
  var timerNote = document.getElementById("timer-note");
  var startForm = document.getElementById("timer-start-form");
  var stopForm = document.getElementById("timer-stop-form");
  var timerKey = "jel.timer." + config.visit;
  var timer = JSON.parse(localStorage.getItem(timerKey) || "null") || {
    startedAt: config.startedAt, endedAt: config.endedAt
  };
  var warned = false;

  function renderTimer() {
    if (!timer.startedAt) { timerNode.textContent = "0:00"; return; }
    var end = timer.endedAt ? new Date(timer.endedAt) : new Date();
    var seconds = Math.max(0, Math.floor((end - new Date(timer.startedAt)) / 1000));
    var minutes = Math.floor(seconds / 60);
    timerNode.textContent = minutes + ":" + ("0" + (seconds % 60)).slice(-2);
    var over = minutes >= config.minutes;
    timerNode.classList.toggle("timer-over", over);
    if (over && !warned) {
      warned = true;
      timerNote.textContent = "The planned " + config.minutes + " minutes are up.";
    }
  }

  function saveTimer() {
    try { localStorage.setItem(timerKey, JSON.stringify(timer)); } catch (error) { /* ignore */ }
    startForm.hidden = Boolean(timer.startedAt && !timer.endedAt);
    stopForm.hidden = !startForm.hidden;
    renderTimer();
  }

  function postTimer(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
  }

  startForm.addEventListener("submit", function (event) {
    event.preventDefault();
    timer = { startedAt: new Date().toISOString(), endedAt: null };
    warned = false;
    timerNote.textContent = "";
    saveTimer();
    postTimer(config.startUrl).then(function (data) {
      if (data && data.started_at && !data.ended_at) {
        timer.startedAt = data.started_at;
        saveTimer();
      }
    });
  });

  stopForm.addEventListener("submit", function (event) {
    event.preventDefault();
    timer.endedAt = new Date().toISOString();
    saveTimer();
    postTimer(config.stopUrl);
  });

  saveTimer();
  setInterval(renderTimer, 1000);
  showStatus();
  flush();
})();
