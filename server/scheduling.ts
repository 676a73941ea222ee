/**
 * BlueMind's calendar hook `IcsHook`: after an event is saved, who is mailed what. Nothing is
 * sent unless the write asked for it (`sendNotifications=true`), the calendar is its owner's
 * default one, and the event is or was a meeting. The copy is the organizer's ("master")
 * when its organizer resolves to the calendar's owner, or it has no attendees; otherwise it
 * is an attendee's copy and only that attendee's answer travels (REPLY). Organizer side:
 * REQUEST to added attendees, CANCEL to removed ones, REQUEST to the others only for a
 * significant change (meeting-parts.ts), CANCEL for new exdates and removed exceptions; a
 * deletion cancels everything. Attendee side: REPLY when the owner's own partStatus changed,
 * REPLY Declined for new exdates and when the copy is deleted. Each message goes to the
 * outbox, one per recipient as BlueMind mails them, then through the LMTP filter
 * (imip-delivery.ts). BlueMind runs the hook asynchronously; here it runs right after the
 * store write, so tests see its effects when the REST call returns.
 */
import type { Attendee, BmDateTime, VEventSeries } from "../src/bluemind/types";
import { parseBmDate, toInstant } from "./bmdate";
import { dirEntryByPath, entryEmail } from "./directory";
import { deliver } from "./imip-delivery";
import {
  attendeesInBoth,
  attendeesMissingFrom,
  correspondingEvent,
  findAttendee,
  flatten,
  isOccurrence,
  occurrenceOf,
  significantChange,
  type AnyEvent,
} from "./meeting-parts";
import type { Caller, ContainerRecord } from "./model";
import { outboxOf, type ImipMethod } from "./outbox";
import type { ServerState } from "./store";

export interface SavedEvent {
  calendar: ContainerRecord;
  caller: Caller | null;
  /** Before the write (null: created) and after it (null: deleted). */
  before: VEventSeries | null;
  after: VEventSeries | null;
  sendNotifications: boolean;
}

function isMeeting(e: AnyEvent | null | undefined): boolean {
  if (!e?.organizer) return false;
  const attendees = e.attendees ?? [];
  return attendees.length > 0 && !(attendees.length === 1 && attendees[0]!.mailto === e.organizer.mailto);
}

const meetingSeries = (s: VEventSeries | null): boolean => flatten(s).some(isMeeting);

/** The copy is the organizer's: no attendees, or the organizer is the calendar's owner. */
function isMasterVersion(state: ServerState, s: VEventSeries, c: ContainerRecord): boolean {
  const ref = s.main ?? s.occurrences[0];
  if (!ref || (ref.attendees ?? []).length === 0) return true;
  const entry = dirEntryByPath(state, ref.organizer?.dir);
  return entry?.uid === c.owner;
}

/** IcsHook.occursInThePast (all-day dates are given 12 hours of grace). */
function inThePast(e: AnyEvent, now: number): boolean {
  const zone = e.dtstart.timezone ?? "UTC";
  const ref = parseBmDate(e.dtstart).isDate ? now - 12 * 3_600_000 : now;
  if (e.rrule) return !!e.rrule.until && toInstant(e.rrule.until, zone) < ref;
  return (!!e.dtend && toInstant(e.dtend, zone) < ref) || toInstant(e.dtstart, zone) < ref;
}

/** Dates of `after` that `before` lacks, compared as instants. */
function newDates(before: BmDateTime[] | null | undefined, after: BmDateTime[] | null | undefined, zone: string): BmDateTime[] {
  const known = new Set((before ?? []).map((d) => toInstant(d, zone)));
  return (after ?? []).filter((d) => !known.has(toInstant(d, zone)));
}

class IcsHook {
  private readonly ownerAttendee: Attendee;
  private readonly icsUid: string;

  constructor(
    private readonly state: ServerState,
    private readonly saved: SavedEvent,
  ) {
    const owner = state.directory.get(saved.calendar.owner);
    this.ownerAttendee = { dir: owner ? `bm://${owner.path}` : null, mailto: owner ? entryEmail(state, owner) : null };
    this.icsUid = (saved.after ?? saved.before)!.icsUid;
  }

  private send(method: ImipMethod, from: string | null | undefined, to: Attendee | { mailto?: string | null }, series: VEventSeries): void {
    if (!from || !to.mailto) return;
    const callerEntry = this.saved.caller ? this.state.directory.get(this.saved.caller.subject) : undefined;
    const callerEmail = callerEntry ? entryEmail(this.state, callerEntry) : null;
    const copy = structuredClone(series);
    const first = flatten(copy)[0]!;
    if (method !== "REPLY" && flatten(copy).every((e) => inThePast(e, this.state.now()))) {
      for (const e of flatten(copy)) for (const a of e.attendees ?? []) a.rsvp = false;
    }
    const message = outboxOf(this.state).record({
      method,
      from,
      sender: callerEmail && callerEmail.toLowerCase() !== from.toLowerCase() ? callerEmail : null,
      recipients: [to.mailto],
      icsUid: this.icsUid,
      event: copy,
      summary: first.summary ?? "",
      sequence: first.sequence ?? 0,
      recurid: isOccurrence(first) ? first.recurid : null,
      at: this.state.now(),
      delivery: {},
    });
    deliver(this.state, message);
  }

  private organizerOf(e: AnyEvent): string | null | undefined {
    return (
      e.organizer?.mailto ??
      this.saved.before?.main?.organizer?.mailto ??
      flatten(this.saved.after).find((x) => x.organizer)?.organizer?.mailto
    );
  }

  private isOrganizer(a: Attendee, e: AnyEvent): boolean {
    const o = e.organizer;
    return !!o && ((!!o.dir && o.dir === a.dir) || (!!o.mailto && o.mailto.toLowerCase() === (a.mailto ?? "").toLowerCase()));
  }

  private seriesFor(s: VEventSeries, a: Attendee): VEventSeries {
    return {
      ...s,
      main: s.main && findAttendee(s.main.attendees, a) ? s.main : null,
      occurrences: s.occurrences.filter((o) => findAttendee(o.attendees, a)),
    };
  }

  private attendsSeries(s: VEventSeries, a: Attendee): boolean {
    return flatten(s).every((e) => findAttendee(e.attendees, a));
  }

  private single(e: AnyEvent): VEventSeries {
    return isOccurrence(e) ? { icsUid: this.icsUid, main: null, occurrences: [e] } : { icsUid: this.icsUid, main: e, occurrences: [] };
  }

  /** One message per attendee (never to the organizer): about `whole` when given, else about `e` alone. */
  private invite(attendees: Attendee[], e: AnyEvent, method: ImipMethod, whole: VEventSeries | null): void {
    for (const a of attendees) {
      if (!this.isOrganizer(a, e)) this.send(method, this.organizerOf(e), a, whole ?? this.single(e));
    }
  }

  /** The owner's answer, to the organizer, with only the owner as attendee. */
  private reply(e: AnyEvent, attendee: Attendee): void {
    const answer = { ...structuredClone(e), attendees: [structuredClone(attendee)] };
    this.send("REPLY", attendee.mailto, { mailto: this.organizerOf(e) }, this.single(answer));
  }

  private ownAttendee(e: AnyEvent | null): Attendee | undefined {
    return e ? findAttendee(e.attendees, this.ownerAttendee) : undefined;
  }

  created(s: VEventSeries): void {
    if (isMasterVersion(this.state, s, this.saved.calendar)) {
      const seriesAttendees = s.main ? (s.main.attendees ?? []).filter((a) => this.attendsSeries(s, a)) : [];
      if (s.main) for (const a of seriesAttendees) this.invite([a], s.main, "REQUEST", this.seriesFor(s, a));
      for (const e of flatten(s)) {
        this.invite(
          (e.attendees ?? []).filter((a) => !findAttendee(seriesAttendees, a)),
          e,
          "REQUEST",
          null,
        );
      }
      return;
    }
    for (const e of flatten(s)) {
      const own = this.ownAttendee(e);
      if (own) this.reply(e, own);
    }
  }

  updated(before: VEventSeries, after: VEventSeries): void {
    if (!isMasterVersion(this.state, before, this.saved.calendar)) {
      this.attendeeUpdated(before, after);
      return;
    }
    if (after.main && before.main) {
      const added = newDates(before.main.exdate, after.main.exdate, after.main.dtstart.timezone ?? "UTC");
      if (added.length) {
        for (const exdate of added) {
          const occurrence = occurrenceOf(after.main, exdate);
          for (const a of occurrence.attendees ?? []) a.rsvp = false;
          this.invite(occurrence.attendees ?? [], occurrence, "CANCEL", null);
        }
        return;
      }
    }
    const attendingSeries: Attendee[] = [];
    const leftSeries: Attendee[] = [];
    for (const e of flatten(after)) {
      const old = correspondingEvent(before, e);
      const oldAttendees = old?.attendees ?? (isOccurrence(e) && after.main ? after.main.attendees : []);
      const added = attendeesMissingFrom(e.attendees, oldAttendees);
      if (added.length) {
        if (!isOccurrence(e)) {
          for (const a of added) this.invite([a], e, "REQUEST", this.seriesFor(after, a));
          attendingSeries.push(...added);
        } else {
          this.invite(
            added.filter((a) => !findAttendee(attendingSeries, a)),
            e,
            "REQUEST",
            null,
          );
        }
      }
      const removed = attendeesMissingFrom(oldAttendees, e.attendees).filter((a) => !findAttendee(leftSeries, a));
      if (removed.length) {
        if (!isOccurrence(e)) leftSeries.push(...removed);
        this.invite(removed, e, "CANCEL", null);
      }
      const kept = attendeesInBoth(e.attendees, oldAttendees);
      if (kept.length && significantChange(old, e)) {
        const unsent = kept.filter((a) => !findAttendee(attendingSeries, a));
        this.invite(unsent, e, "REQUEST", isOccurrence(e) ? null : after);
        if (!isOccurrence(e)) attendingSeries.push(...unsent);
      }
    }
    for (const occ of before.occurrences) {
      if (!correspondingEvent(after, occ)) this.invite(occ.attendees ?? [], occ, "CANCEL", null);
    }
  }

  private attendeeUpdated(before: VEventSeries, after: VEventSeries): void {
    for (const e of flatten(after)) {
      const own = this.ownAttendee(e);
      if (!own) continue;
      const old = this.ownAttendee(correspondingEvent(before, e));
      if (!old || old.partStatus !== own.partStatus) this.reply(e, own);
      if (!isOccurrence(e) && before.main) {
        for (const exdate of newDates(before.main.exdate, e.exdate, e.dtstart.timezone ?? "UTC")) {
          this.reply(occurrenceOf(e, exdate), { ...own, partStatus: "Declined" });
        }
      }
    }
  }

  deleted(s: VEventSeries): void {
    if (isMasterVersion(this.state, s, this.saved.calendar)) {
      if (!s.main) return;
      const seriesAttendees = (s.main.attendees ?? []).filter((a) => this.attendsSeries(s, a));
      this.invite(seriesAttendees, s.main, "CANCEL", { icsUid: this.icsUid, main: s.main, occurrences: [] });
      for (const e of flatten(s)) {
        this.invite(
          (e.attendees ?? []).filter((a) => !findAttendee(seriesAttendees, a)),
          e,
          "CANCEL",
          null,
        );
      }
      return;
    }
    const main = this.ownAttendee(s.main);
    if (s.main && main && main.partStatus !== "Declined") {
      this.reply(s.main, { ...main, partStatus: "Declined" });
      return;
    }
    for (const o of s.occurrences) {
      const own = this.ownAttendee(o);
      if (own && own.partStatus !== "Declined") this.reply(o, { ...own, partStatus: "Declined" });
    }
  }
}

/** IcsHook.mustSendNotification: asked for, in the owner's default calendar, about a meeting. */
export function mustSendNotification(saved: SavedEvent): boolean {
  return saved.sendNotifications && saved.calendar.defaultContainer && (meetingSeries(saved.before) || meetingSeries(saved.after));
}

/** Runs BlueMind's hook for one saved event (create, update or delete). */
export function afterEventSaved(state: ServerState, saved: SavedEvent): void {
  if (!mustSendNotification(saved)) return;
  const hook = new IcsHook(state, saved);
  if (saved.before && saved.after) hook.updated(saved.before, saved.after);
  else if (saved.after) hook.created(saved.after);
  else if (saved.before) hook.deleted(saved.before);
}
