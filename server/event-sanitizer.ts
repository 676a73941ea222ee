/**
 * VEventSanitizer, the part scheduling depends on: who is who. Before every write BlueMind
 * resolves the organizer and each attendee against its directory (by `dir`, else by mailto):
 * a known address gets `dir = bm://<path>`, BlueMind's display name and address and
 * `internal = true`; an unknown one loses its `dir`. Attendees default to NeedsAction /
 * RequiredParticipant; an internal organizer is removed from the attendee list; an organizer
 * without an address drops the attendees; no attendees (outside an exception) drop the
 * organizer. Also: priority clamped to 0–9, a missing transparency from allDay, and `draft`
 * cleared when notifications are sent. The calendar hooks (scheduling.ts) rely on the result:
 * they compare the organizer's `dir` with the calendar's owner.
 */
import type { Attendee, Organizer, VEvent, VEventSeries } from "../src/bluemind/types";
import { parseBmDate } from "./bmdate";
import { dirEntryByEmail, dirEntryByPath, entryEmail } from "./directory";
import type { DirEntry } from "./model";
import type { ServerState } from "./store";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function resolve(
  state: ServerState,
  domainUid: string,
  dir: string | null | undefined,
  mailto: string | null | undefined,
): DirEntry | null {
  if (dir && dir.startsWith("bm://")) return dirEntryByPath(state, dir);
  return mailto ? dirEntryByEmail(state, domainUid, mailto) : null;
}

function resolveOrganizer(state: ServerState, domainUid: string, o: Organizer): void {
  if (o.mailto && !EMAIL.test(o.mailto)) o.mailto = null;
  const entry = resolve(state, domainUid, o.dir, o.mailto);
  if (entry) {
    o.dir = `bm://${entry.path}`;
    o.mailto = entryEmail(state, entry);
    o.commonName = entry.displayName;
  } else {
    o.dir = null;
    if (o.commonName == null) o.commonName = o.mailto ?? null;
  }
}

/** Resolved attendees, duplicates (same resolved address and dir) dropped like BlueMind's LinkedHashSet. */
function resolveAttendees(state: ServerState, domainUid: string, attendees: Attendee[] | null | undefined): Attendee[] {
  const out: Attendee[] = [];
  const seen = new Set<string>();
  for (const a of attendees ?? []) {
    if (a.commonName == null) a.commonName = a.mailto ?? null;
    if (a.mailto && !EMAIL.test(a.mailto)) a.mailto = null;
    const entry = resolve(state, domainUid, a.dir, a.mailto);
    if (entry) {
      a.dir = `bm://${entry.path}`;
      a.commonName = entry.displayName;
      a.mailto = entryEmail(state, entry);
      a.internal = true;
    } else {
      a.dir = null;
      a.internal = false;
    }
    const key = `${(a.mailto ?? "").toLowerCase()}|${a.dir ?? ""}|${a.uri ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

function sanitizeEvent(state: ServerState, domainUid: string, e: VEvent, exception: boolean, sendNotification: boolean): void {
  if (e.priority != null) e.priority = Math.min(9, Math.max(0, e.priority));
  if (e.transparency == null) e.transparency = parseBmDate(e.dtstart).isDate ? "Transparent" : "Opaque";
  const organizer = e.organizer;
  if (organizer) {
    resolveOrganizer(state, domainUid, organizer);
    if (!organizer.mailto || organizer.mailto.trim() === "") {
      // BM-7020: an organizer without an address cannot make a meeting.
      e.attendees = [];
      e.organizer = null;
    } else {
      e.attendees = resolveAttendees(state, domainUid, e.attendees).map((a) => ({
        ...a,
        partStatus: a.partStatus ?? "NeedsAction",
        role: a.role ?? "RequiredParticipant",
      }));
      if (organizer.dir) e.attendees = e.attendees.filter((a) => a.dir !== organizer.dir);
    }
  } else {
    e.attendees = [];
  }
  // RFC 5545 3.8.4.3: no organizer on a component that is not group-scheduled.
  if (!exception && (e.attendees ?? []).length === 0) e.organizer = null;
  if (e.draft) e.draft = !sendNotification;
}

/** Sanitizes in place, as CalendarService does before storing (domain = the calendar's). */
export function sanitizeSeries(state: ServerState, domainUid: string, s: VEventSeries, sendNotification: boolean): void {
  s.occurrences = s.occurrences ?? [];
  if (s.main) {
    sanitizeEvent(state, domainUid, s.main, false, sendNotification);
    if (s.main.draft) for (const o of s.occurrences) o.draft = true;
  }
  for (const o of s.occurrences) sanitizeEvent(state, domainUid, o, true, sendNotification);
}
