/* The judging-words nudge while typing: the words come from the server
 * (observations/judging.py, through the page's capture-config), never from a
 * list of our own here. A nudge, never a block. */

function escaped(word) {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The judging words in text, lower-cased, each once, in order of appearance. */
export function judgingWordsIn(text, words) {
  if (!words.length) return [];
  const pattern = new RegExp(`\\b(${words.map(escaped).join("|")})\\b`, "gi");
  const found = [];
  for (const match of (text || "").matchAll(pattern)) {
    const word = match[0].toLowerCase();
    if (!found.includes(word)) found.push(word);
  }
  return found;
}

/** The nudge to show for the found words, or "" for none. */
export function nudgeText(found, advice) {
  return found.length ? `You wrote “${found.join(", ")}”. ${advice}` : "";
}
