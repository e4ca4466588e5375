/* The length limit of an entry (observations.models.EVIDENCE_MAX_CHARS, given
 * by the page) and the counter under each box: typing is never cut off, but
 * an entry over the limit is not saved until it is shortened. */

const NUMBER = new Intl.NumberFormat("en-US");

/** The counter's words for a box holding `length` characters. */
export function countText(length, max) {
  const counted = `${NUMBER.format(length)} of ${NUMBER.format(max)} characters`;
  if (length <= max) return counted;
  return `${counted}: ${NUMBER.format(length - max)} too many to save`;
}

/** The first of payload's word fields over the limit, or null. */
export function tooLong(payload, max, fields = ["text", "what", "so_what", "now_what"]) {
  return fields.find((name) => (payload[name] || "").length > max) || null;
}

/** What the sync line says when an entry is too long to save. */
export function tooLongText(length, max) {
  return (
    `Keep an entry to ${NUMBER.format(max)} characters (this one has ` +
    `${NUMBER.format(length)}): shorten it or save it as two entries.`
  );
}
