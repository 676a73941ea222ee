/**
 * Test helper: the UTC instants at which a calendar program would show an event's occurrences,
 * computed by ical.js from ICS text (with the VTIMEZONEs it carries), independently of the
 * converter's own arithmetic.
 */
import ICAL from "ical.js";

export function utcOccurrences(ics: string, uid: string, max = 20): string[] {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const registered: string[] = [];
  for (const vtz of cal.getAllSubcomponents("vtimezone")) {
    const tzid = String(vtz.getFirstPropertyValue("tzid"));
    if (!ICAL.TimezoneService.has(tzid)) {
      ICAL.TimezoneService.register(vtz);
      registered.push(tzid);
    }
  }
  try {
    const fresh = new ICAL.Component(ICAL.parse(ics));
    const vevent = fresh
      .getAllSubcomponents("vevent")
      .find((v) => v.getFirstPropertyValue("uid") === uid && !v.hasProperty("recurrence-id"));
    if (!vevent) throw new Error(`no VEVENT ${uid}`);
    const event = new ICAL.Event(vevent);
    const out: string[] = [];
    const it = event.iterator();
    for (let t = it.next(); t && out.length < max; t = it.next()) out.push(t.toJSDate().toISOString());
    return out;
  } finally {
    for (const tzid of registered) ICAL.TimezoneService.remove(tzid);
  }
}
