/**
 * BlueMind's LMTP iMIP filter (net.bluemind.lmtp.filter.imip), which is how an invitation
 * reaches an internal recipient: there is no direct server-side copy, the message travels as
 * mail and the filter applies it to the recipient's default calendar (a resource's own
 * calendar), always with sendNotifications=false.
 * - REQUEST (EventRequestHandler): refused unless the organizer, when internal, holds the
 *   Invitation right there (then a REPLY Declined goes back, BM-4186); the recipient is added
 *   as a NeedsAction OptionalParticipant if missing; the recipient's default alarm is set, but
 *   an existing copy keeps its own alarms; EventChangesMerge: update the series found by
 *   icsUid (dates changed: exceptions dropped), else create it under the icsUid.
 * - CANCEL (EventCancelHandler): the same right check; whole event: the copy is deleted;
 *   occurrences: exdates added and exceptions removed.
 * - REPLY (EventReplyHandler): merged into the organizer's copy (partStatus, comment, rsvp
 *   false), an occurrence's answer into that occurrence only.
 */
import { randomUUID } from "node:crypto";
import type { Attendee, VEvent, VEventSeries } from "../src/bluemind/types";
import { can } from "./acl";
import { localEntryByEmail } from "./directory";
import { sanitizeSeries } from "./event-sanitizer";
import { correspondingEvent, findAttendee, flatten, isOccurrence, occurrenceOf, type AnyEvent } from "./meeting-parts";
import type { Caller, ContainerRecord, DirEntry } from "./model";
import { outboxOf, type Delivery, type ImipMessage } from "./outbox";
import { parseBmDate, toInstant } from "./bmdate";
import { seriesDisplayName, type ServerState } from "./store";

/** LMTP writes as the system (BlueMind's SecurityContext.SYSTEM). */
const AUTHOR = "system";
const ORIGIN = "bm-lmtpd";

/** Where the filter writes for this mailbox: a user's default calendar, a resource's calendar. */
function calendarOf(state: ServerState, entry: DirEntry): ContainerRecord | null {
  const uid = entry.kind === "RESOURCE" ? `calendar:${entry.uid}` : `calendar:Default:${entry.uid}`;
  return state.containers.get(uid) ?? null;
}

function byIcsUid(state: ServerState, c: ContainerRecord, icsUid: string) {
  return (state.calendar(c.uid)?.all() ?? []).filter((iv) => iv.value.icsUid === icsUid);
}

function write(state: ServerState, c: ContainerRecord, uid: string, s: VEventSeries): void {
  const store = state.calendar(c.uid)!;
  sanitizeSeries(state, c.domainUid, s, false);
  s.properties = s.properties ?? {};
  if (store.get(uid)) store.update(uid, s, seriesDisplayName(s), AUTHOR, state.now(), ORIGIN);
  else store.create(uid, s, seriesDisplayName(s), AUTHOR, state.now(), ORIGIN);
  state.changed();
}

function remove(state: ServerState, c: ContainerRecord, uid: string): void {
  if (state.calendar(c.uid)!.delete(uid, AUTHOR, state.now(), ORIGIN)) state.changed();
}

/** BM-2892: an internal organizer needs the Invitation right on the recipient's calendar. */
function organizerMayInvite(state: ServerState, c: ContainerRecord, organizerEmail: string): boolean {
  const organizer = localEntryByEmail(state, organizerEmail);
  const user = organizer ? state.users.get(organizer.uid) : undefined;
  if (!user) return true; // external organizer: not checked
  const caller: Caller = { subject: user.uid, domainUid: user.domainUid, key: "", kind: "session", origin: ORIGIN };
  return can(caller, c, "Invitation");
}

function ensureAttendance(e: AnyEvent | null, recipient: string): void {
  if (!e || !(e.attendees ?? []).length) return;
  const me: Attendee = { mailto: recipient };
  if (e.organizer?.mailto?.toLowerCase() === recipient.toLowerCase() || findAttendee(e.attendees, me)) return;
  e.attendees = [
    ...(e.attendees ?? []),
    { cutype: "Individual", role: "OptionalParticipant", partStatus: "NeedsAction", rsvp: true, commonName: "", mailto: recipient },
  ];
}

function setDefaultAlarm(state: ServerState, entry: DirEntry, s: VEventSeries): void {
  const settings = state.users.get(entry.uid)?.settings ?? {};
  for (const e of flatten(s)) {
    const trigger = parseBmDate(e.dtstart).isDate ? settings["default_allday_event_alert"] : settings["default_event_alert"];
    if (trigger && /^\d+$/.test(trigger)) {
      e.alarm = [{ action: "Display", trigger: -Number(trigger), description: null, duration: null, repeat: null, summary: null }];
    }
  }
}

const sameInstant = (a: VEvent, b: VEvent): boolean => {
  const tz = a.dtstart.timezone ?? "UTC";
  const end = (e: VEvent) => (e.dtend ? toInstant(e.dtend, tz) : null);
  return toInstant(a.dtstart, tz) === toInstant(b.dtstart, tz) && end(a) === end(b);
};

function request(state: ServerState, c: ContainerRecord, entry: DirEntry, recipient: string, message: ImipMessage): Delivery {
  if (!organizerMayInvite(state, c, message.from)) {
    denyToOrganizer(state, entry, recipient, message);
    return "denied";
  }
  const incoming = structuredClone(message.event);
  for (const e of flatten(incoming)) ensureAttendance(e, recipient);
  setDefaultAlarm(state, entry, incoming);
  const existing = byIcsUid(state, c, message.icsUid);
  const master = existing.find((iv) => iv.value.main);
  if (master && master.value.main) {
    // EventChangesMerge.UpdateSeries
    const current = structuredClone(master.value);
    if (incoming.main) {
      current.counters = [];
      if (!sameInstant(current.main!, incoming.main)) {
        incoming.main.exdate = null;
        current.occurrences = [];
      }
      if ((current.main!.alarm ?? []).length) incoming.main.alarm = current.main!.alarm;
      current.main = incoming.main;
    }
    current.acceptCounters = incoming.acceptCounters ?? current.acceptCounters;
    for (const occ of incoming.occurrences) {
      const mine = correspondingEvent(current, occ);
      if (mine && (mine.alarm ?? []).length) occ.alarm = mine.alarm;
      current.occurrences = [...current.occurrences.filter((o) => o !== mine), occ];
    }
    write(state, c, master.uid, current);
  } else if (incoming.main) {
    // CreateSeries: any orphan exceptions are replaced by the whole series.
    for (const orphan of existing) remove(state, c, orphan.uid);
    write(state, c, message.icsUid, incoming);
  } else {
    // StoreOrphans: exceptions without their series.
    for (const occ of incoming.occurrences) {
      const holder = existing.find((iv) => correspondingEvent(iv.value, occ));
      if (holder) write(state, c, holder.uid, { ...structuredClone(holder.value), occurrences: [occ] });
      else write(state, c, randomUUID(), { icsUid: message.icsUid, main: null, occurrences: [occ], properties: {} });
    }
  }
  return "delivered";
}

/** BM-4186: the organizer is told, by a REPLY Declined from the recipient's mailbox. */
function denyToOrganizer(state: ServerState, entry: DirEntry, recipient: string, message: ImipMessage): void {
  const event = structuredClone(message.event);
  const first = flatten(event)[0]!;
  first.attendees = [{ mailto: recipient, commonName: entry.displayName, partStatus: "Declined" }];
  const denial = outboxOf(state).record({
    ...message,
    method: "REPLY",
    from: recipient,
    sender: null,
    recipients: [message.from],
    event: isOccurrence(first) ? { ...event, main: null, occurrences: [first] } : { ...event, main: first, occurrences: [] },
    at: state.now(),
    delivery: {},
  });
  deliver(state, denial);
}

function cancel(state: ServerState, c: ContainerRecord, message: ImipMessage): Delivery {
  if (!organizerMayInvite(state, c, message.from)) return "denied";
  const current = byIcsUid(state, c, message.icsUid);
  if (!current.length) return "delivered";
  if (message.event.main) {
    for (const iv of current) remove(state, c, iv.uid);
    return "delivered";
  }
  const master = current.length === 1 && current[0]!.value.main ? current[0]! : null;
  for (const occ of message.event.occurrences) {
    if (master) {
      const value = structuredClone(master.value);
      value.main!.exdate = [...(value.main!.exdate ?? []), occ.recurid];
      const gone = correspondingEvent(value, occ);
      value.occurrences = value.occurrences.filter((o) => o !== gone);
      write(state, c, master.uid, value);
      master.value = value;
    } else {
      for (const iv of current) if (correspondingEvent(iv.value, occ)) remove(state, c, iv.uid);
    }
  }
  return "delivered";
}

function reply(state: ServerState, c: ContainerRecord, message: ImipMessage): Delivery {
  const found = byIcsUid(state, c, message.icsUid)[0];
  if (!found) return "notFound";
  const series = structuredClone(found.value);
  for (const answer of flatten(message.event)) {
    let ref: AnyEvent | null;
    if (isOccurrence(answer)) {
      ref = correspondingEvent(series, answer);
      if (!ref && series.main) {
        ref = occurrenceOf(series.main, answer.recurid);
        series.occurrences = [...series.occurrences, ref as ReturnType<typeof occurrenceOf>];
      }
    } else {
      ref = series.main;
    }
    if (!ref) continue;
    for (const a of answer.attendees ?? []) {
      const mine = findAttendee(ref.attendees, a);
      if (mine) {
        mine.partStatus = a.partStatus ?? null;
        mine.responseComment = a.responseComment ?? null;
        mine.rsvp = false;
      }
    }
  }
  write(state, c, found.uid, series);
  return "delivered";
}

/** Hands one message to the LMTP filter of every internal recipient; records what happened. */
export function deliver(state: ServerState, message: ImipMessage): void {
  for (const recipient of message.recipients) {
    const entry = localEntryByEmail(state, recipient);
    const c = entry ? calendarOf(state, entry) : null;
    if (!entry || !c) {
      message.delivery[recipient] = entry ? "notFound" : "external";
      continue;
    }
    if (message.method === "REQUEST") message.delivery[recipient] = request(state, c, entry, recipient, message);
    else if (message.method === "CANCEL") message.delivery[recipient] = cancel(state, c, message);
    else message.delivery[recipient] = reply(state, c, message);
  }
}
