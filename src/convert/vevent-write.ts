/**
 * One BlueMind VEvent (main or exception) -> one VEVENT component. Field by field mapping;
 * the date/zone rules live in datetime.ts, people in people.ts, alarms in alarms.ts.
 * Fields iCalendar lacks (conferenceConfiguration, counters, draft…) are simply not written.
 */
import ICAL from "ical.js";
import type { BmDateTime, VEvent } from "../bluemind/types";
import { writeAlarm } from "./alarms";
import { addTimeProperty, type Shape, shapeOf, type ZoneSet } from "./datetime";
import { writeDescription } from "./description";
import { CLASS_OUT, EVENT_STATUS_OUT, TRANSP_OUT, X_STATUS } from "./enums";
import { writeAttendee, writeOrganizer } from "./people";
import { rruleToRecur } from "./rrule";
import { cleanText } from "./text";
import { isKeptXProp } from "./xprops";

export interface WriteOptions {
  uid: string;
  dtstamp: ICAL.Time;
  /** For an exception: its RECURRENCE-ID, written like the main DTSTART (`mainShape`). */
  recurid?: BmDateTime | null;
  mainShape?: Shape | null;
  zones: ZoneSet;
}

export function writeVEvent(ev: VEvent, o: WriteOptions): ICAL.Component {
  const c = new ICAL.Component("vevent");
  c.addPropertyWithValue("uid", o.uid);
  c.addPropertyWithValue("dtstamp", o.dtstamp);
  if (o.recurid) addTimeProperty(c, "recurrence-id", o.recurid, o.zones, o.mainShape ?? undefined);

  const startShape = shapeOf(ev.dtstart);
  addTimeProperty(c, "dtstart", ev.dtstart, o.zones);
  if (ev.dtend) {
    // DTEND must have DTSTART's value type; a zone of its own is allowed and kept.
    const endShape = shapeOf(ev.dtend);
    const like = (startShape.kind === "date") !== (endShape.kind === "date") ? startShape : endShape;
    addTimeProperty(c, "dtend", ev.dtend, o.zones, like);
  }

  if (ev.summary != null) c.addPropertyWithValue("summary", cleanText(ev.summary));
  if (ev.description != null) writeDescription(c, cleanText(ev.description));
  if (ev.location != null) c.addPropertyWithValue("location", cleanText(ev.location));
  if (ev.url != null && ev.url !== "") c.addPropertyWithValue("url", ev.url);
  // Enum words this converter does not know (a newer BlueMind) are left out rather than guessed.
  const cls = ev.classification ? CLASS_OUT[ev.classification] : undefined;
  if (cls) c.addPropertyWithValue("class", cls);
  const transp = ev.transparency ? TRANSP_OUT[ev.transparency] : undefined;
  if (transp) c.addPropertyWithValue("transp", transp);
  if (ev.status) {
    const s = EVENT_STATUS_OUT[ev.status];
    if (s) c.addPropertyWithValue("status", s);
    else c.addPropertyWithValue(X_STATUS, ev.status);
  }
  if (ev.priority != null) c.addPropertyWithValue("priority", ev.priority);
  if (ev.sequence != null) c.addPropertyWithValue("sequence", ev.sequence);

  const labels = (ev.categories ?? []).map((t) => (typeof t.label === "string" ? cleanText(t.label).trim() : "")).filter((l) => l !== "");
  if (labels.length) {
    const p = new ICAL.Property("categories");
    p.setValues(labels);
    c.addProperty(p);
  }

  if (ev.organizer) writeOrganizer(c, ev.organizer);
  for (const a of ev.attendees ?? []) writeAttendee(c, a);

  if (!o.recurid) {
    // Recurrence belongs to the main event only; an exception is one occurrence.
    if (ev.rrule) c.addPropertyWithValue("rrule", rruleToRecur(ev.rrule, startShape));
    for (const d of ev.rdate ?? []) addTimeProperty(c, "rdate", d, o.zones, startShape);
    for (const d of ev.exdate ?? []) addTimeProperty(c, "exdate", d, o.zones, startShape);
  }

  if (ev.conference) c.addPropertyWithValue("x-conference", cleanText(ev.conference));
  if (ev.conferenceId) c.addPropertyWithValue("x-conference-id", cleanText(ev.conferenceId));
  for (const att of ev.attachments ?? []) {
    if (!att.publicUrl) continue;
    const p = new ICAL.Property("attach");
    p.setValue(att.publicUrl);
    if (att.name) p.setParameter("x-file-name", att.name);
    if (att.cid) p.setParameter("x-cid", att.cid);
    c.addProperty(p);
  }
  for (const [k, v] of Object.entries(ev.properties ?? {})) {
    if (isKeptXProp(k) && typeof v === "string") c.addPropertyWithValue(k.toLowerCase(), v);
  }

  for (const a of ev.alarm ?? []) writeAlarm(c, a);
  return c;
}
