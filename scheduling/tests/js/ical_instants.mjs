// Reads .ics files with Mozilla's ical.js (the parser of Thunderbird and
// Nextcloud) and prints one JSON line per VEVENT: the file, the calendar's
// METHOD, the event's UID, STATUS, SEQUENCE and its DTSTART and DTEND as UTC
// instants, read through the file's own VTIMEZONE as those clients do.
// Usage: node ical_instants.mjs FILE.ics [FILE.ics ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

// ical.js lives in the project's node_modules, wherever this script is run from.
const require = createRequire(resolve(process.cwd(), "package.json"));
const ICAL = (await import(require.resolve("ical.js"))).default;

function instant(time) {
  // A TZID with no VTIMEZONE in the file would fall back to floating time;
  // say so instead of printing a wrong instant.
  if (time.zone && time.zone.tzid === "floating") {
    return `floating:${time.toString()}`;
  }
  return time.toJSDate().toISOString();
}

for (const file of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  const method = root.getFirstPropertyValue("method") || "";
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid") || "";
    console.log(
      JSON.stringify({
        file,
        method,
        uid: event.uid,
        status: vevent.getFirstPropertyValue("status") || "",
        sequence: event.sequence,
        tzid,
        zone: event.startDate.zone ? event.startDate.zone.tzid : "",
        start: instant(event.startDate),
        end: instant(event.endDate),
      }),
    );
  }
}
