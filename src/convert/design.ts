/**
 * Tells ical.js that the X- properties this converter writes hold TEXT, so their values are
 * escaped and unescaped like DESCRIPTION (HTML with newlines and commas in X-ALT-DESC).
 * ical.js keeps one design set per runtime; adding X- names to it changes nothing else.
 */
import ICAL from "ical.js";

const TEXT_X_PROPS = ["x-alt-desc", "x-bm-status", "x-conference", "x-conference-id"];

let done = false;

export function ensureDesign(): void {
  if (done) return;
  const props = (ICAL.design as unknown as { icalendar: { property: Record<string, unknown> } }).icalendar.property;
  for (const name of TEXT_X_PROPS) if (!props[name]) props[name] = { defaultType: "text" };
  done = true;
}
