/**
 * BlueMind VAlarm <-> VALARM. BlueMind keeps a trigger in seconds from the start (negative =
 * before); we write TRIGGER as a duration and read absolute or end-related triggers back as
 * seconds from the start. Thunderbird's placeholder DESCRIPTION is read as no description.
 */
import ICAL from "ical.js";
import type { VAlarm } from "../bluemind/types";
import { ALARM_ACTION_OUT } from "./enums";
import { cleanText } from "./text";

/** Thunderbird fills DISPLAY alarms without a description with this text. */
const MOZ_PLACEHOLDER = "Default Mozilla Description";

export function writeAlarm(parent: ICAL.Component, a: VAlarm): void {
  if (a.trigger == null || !a.action) return;
  const c = new ICAL.Component("valarm");
  c.addPropertyWithValue("action", ALARM_ACTION_OUT[a.action] ?? "DISPLAY");
  c.addPropertyWithValue("trigger", ICAL.Duration.fromSeconds(a.trigger));
  if (a.description != null) c.addPropertyWithValue("description", cleanText(a.description));
  if (a.summary != null) c.addPropertyWithValue("summary", cleanText(a.summary));
  if (a.duration != null) c.addPropertyWithValue("duration", ICAL.Duration.fromSeconds(a.duration));
  if (a.repeat != null) c.addPropertyWithValue("repeat", a.repeat);
  parent.addSubcomponent(c);
}

/** Instants (epoch seconds) of the event's start and end, to resolve non-relative triggers. */
export interface AlarmAnchors {
  start: number | null;
  end: number | null;
}

/**
 * TRIGGER's value. Producers write absolute triggers without VALUE=DATE-TIME (Apple iCal 1.0:
 * "TRIGGER:19980403T120000"), which ical.js then fails to read as a duration: read as a UTC time.
 */
function triggerValue(p: ICAL.Property): unknown {
  try {
    return p.getFirstValue();
  } catch (e) {
    const raw = String((p.toJSON() as [name: string, params: object, type: string, ...values: string[]])[3] ?? "");
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/.exec(raw);
    if (!m) throw e;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    return ICAL.Time.fromData({ year: y, month: mo, day: d, hour: h, minute: mi, second: s, isDate: false }, ICAL.Timezone.utcTimezone);
  }
}

/** A property's value, or null when absent or unreadable (an alarm is kept without it). */
function optional(c: ICAL.Component, name: string): unknown {
  try {
    return c.getFirstPropertyValue(name);
  } catch {
    return null;
  }
}

/** Reads a VALARM; null for ACTION:NONE (RFC 9074 "no alarm") or one without a usable trigger. */
export function readAlarm(c: ICAL.Component, anchors: AlarmAnchors): VAlarm | null {
  const actionRaw = String(c.getFirstPropertyValue("action") ?? "").toUpperCase();
  if (actionRaw === "NONE") return null;
  const action: VAlarm["action"] = actionRaw === "AUDIO" ? "Audio" : actionRaw === "EMAIL" ? "Email" : "Display";
  const tprop = c.getFirstProperty("trigger");
  if (!tprop) return null;
  const tv = triggerValue(tprop);
  let trigger: number | null = null;
  if (tv instanceof ICAL.Duration) {
    trigger = tv.toSeconds();
    const related = String(tprop.getFirstParameter("related") ?? "START").toUpperCase();
    if (related === "END") {
      if (anchors.start == null || anchors.end == null) return null;
      trigger += anchors.end - anchors.start;
    }
  } else if (tv instanceof ICAL.Time) {
    if (anchors.start == null) return null;
    trigger = tv.toUnixTime() - anchors.start;
  }
  if (trigger == null) return null;
  const description = optional(c, "description");
  const summary = optional(c, "summary");
  const duration = optional(c, "duration");
  const repeat = optional(c, "repeat");
  return {
    action,
    trigger,
    description: typeof description === "string" && description !== MOZ_PLACEHOLDER ? description : null,
    duration: duration instanceof ICAL.Duration ? duration.toSeconds() : null,
    repeat: repeat == null ? null : Number(repeat),
    summary: typeof summary === "string" ? summary : null,
  };
}
