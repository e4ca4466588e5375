/* The installable app on every page: registers the service worker, asks it
 * to keep the person's pages for offline use, shows the offline mark with the
 * time the page was last refreshed, and guards the sign-out (signout.mjs).
 */
const person = (document.querySelector("meta[name=jel-person]") || {}).content || "";

function showOfflineMark() {
  const mark = document.getElementById("offline-mark");
  if (!mark) return;
  mark.hidden = navigator.onLine;
  mark.textContent = navigator.onLine
    ? ""
    : `Offline · this page was last refreshed at ${mark.getAttribute("data-refreshed")}`;
}

function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    worker.postMessage(message, [channel.port2]);
  });
}

async function register() {
  if (!("serviceWorker" in navigator)) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  } catch (error) {
    return; // Blocked (private mode, a policy): JEL works on-line as before.
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "send-waiting") {
      window.dispatchEvent(new CustomEvent("jel:send-waiting"));
    }
  });
  await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker || !navigator.onLine) return;
  if (!person) {
    await ask(worker, { type: "forget" });
    return;
  }
  const answer = await ask(worker, { type: "refresh" });
  // For the curious (and the browser tests): what is ready offline.
  document.documentElement.dataset.offlineReady = String(answer.pages);
  document.documentElement.dataset.offlineBytes = String(answer.bytes);
}

showOfflineMark();
window.addEventListener("online", showOfflineMark);
window.addEventListener("offline", showOfflineMark);
register();
// Loaded apart: the offline mark and the worker do not wait for it.
import("./signout.mjs").then(({ guardSignOut }) =>
  guardSignOut(document.getElementById("sign-out-form"), { person }),
);
