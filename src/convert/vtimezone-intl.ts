/**
 * VTIMEZONEs for zones the compact table leaves out because their rules are not one yearly pair
 * (Africa/Cairo, Africa/Casablanca, Asia/Gaza, …): one observance per offset change, read from Intl
 * for 1970-2037. Without it a time in such a zone would have to be written as UTC. Thunderbird uses
 * its own definition for these ids anyway; other readers get the real changes.
 */
import ICAL from "ical.js";
import { utcMsToWall } from "./iso";
import { changesOf, intlClock } from "./zones";

const FROM = Date.UTC(1970, 0, 1);
const TO = Date.UTC(2038, 0, 1);

function observance(kind: "standard" | "daylight", from: number, to: number, wallMs: number): ICAL.Component {
  const c = new ICAL.Component(kind);
  c.addPropertyWithValue("tzoffsetfrom", ICAL.UtcOffset.fromSeconds(from));
  c.addPropertyWithValue("tzoffsetto", ICAL.UtcOffset.fromSeconds(to));
  c.addPropertyWithValue("dtstart", ICAL.Time.fromData({ ...utcMsToWall(wallMs), isDate: false }));
  return c;
}

/** A VTIMEZONE listing every change of an Intl zone, or null when Intl does not know the zone. */
export function intlVtimezone(tzid: string): ICAL.Component | null {
  const clock = intlClock(tzid);
  if (!clock) return null;
  const vtz = new ICAL.Component("vtimezone");
  vtz.addPropertyWithValue("tzid", tzid);
  const first = clock.offsetAt(FROM);
  vtz.addSubcomponent(observance("standard", first, first, FROM + first * 1000));
  for (const ch of changesOf(clock, FROM, TO)) {
    // DTSTART is the wall-clock time of the change, in the offset in force before it.
    vtz.addSubcomponent(observance(ch.to > ch.from ? "daylight" : "standard", ch.from, ch.to, ch.at + ch.from * 1000));
  }
  return vtz;
}
