// Reads .ics files with Mozilla's ical.js (Thunderbird, Nextcloud) and prints
// one JSON line per VEVENT: the file, its UID, SUMMARY, LOCATION and
// DESCRIPTION as that client shows them. A file ical.js cannot parse exits 1.
// Usage: node ical_text.mjs FILE.ics [FILE.ics ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(resolve(process.cwd(), "package.json"));
const ICAL = (await import(require.resolve("ical.js"))).default;

for (const file of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const vevent of root.getAllSubcomponents("vevent")) {
    console.log(
      JSON.stringify({
        file,
        uid: vevent.getFirstPropertyValue("uid") || "",
        summary: vevent.getFirstPropertyValue("summary") || "",
        location: vevent.getFirstPropertyValue("location") || "",
        description: vevent.getFirstPropertyValue("description") || "",
      }),
    );
  }
}
