/**
 * Free/busy as BlueMind serves it (docs/bluemind-rules.md, "Free/busy"): IVFreebusy at
 * `/api/calendars/vfreebusy/{freebusy:<uid>}` (and `…/_ics`), IPublicFreebusy at
 * `/api/calendars/sfreebusy/{email}`. Access: Read on the default calendar, or Read on the
 * freebusy container, whose ACL FreebusyAclHook mirrors from the default (or resource)
 * calendar: every entry that implies Freebusy becomes Read, Manage stays Manage. The default
 * grant to the domain is Invitation only, hence 403 until the owner shares "can see my
 * availability". Slots: occurrences expanded over the range, typed from the owner's answer
 * (VFreebusyServiceHelper), summaries masked as the caller may see them, then out-of-office
 * (outside working hours, non-working days) as BUSYUNAVAILABLE when asked.
 */
import type { AccessControlEntry, BmDateTime, VEvent, VEventSeries } from "../src/bluemind/types";
import { can, check, verbCan } from "./acl";
import { bmDate, bmDateTime, parseBmDate, toInstant } from "./bmdate";
import { dirEntryByEmail } from "./directory";
import { Fault, notFound } from "./fault";
import type { Ctx, Router } from "./http";
import type { Caller, ContainerRecord } from "./model";
import { seriesInstances } from "./recurrence";
import type { ServerState } from "./store";
import { utcToWall, wallToUtc } from "./tz";

export type SlotType = "BUSY" | "BUSYTENTATIVE" | "BUSYUNAVAILABLE" | "FREE";

export interface VFreebusyQuery {
  dtstart: BmDateTime;
  dtend: BmDateTime;
  excludedEvents: string[];
  withOOFSlots?: boolean;
}

export interface FreebusySlot {
  dtstart: BmDateTime;
  dtend: BmDateTime;
  type: SlotType;
  summary: string | null;
}

export interface VFreebusy {
  dtstart: BmDateTime;
  dtend: BmDateTime;
  slots: FreebusySlot[];
}

/** BlueMind's defaults for users who never set their working hours. */
const WORK_DEFAULTS = { working_days: "mon,tue,wed,thu,fri", work_hours_start: "8", work_hours_end: "18", timezone: "Europe/Paris" };
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAY_MS = 86_400_000;

/** The calendar whose events make the owner's free/busy: a user's default one, or a resource's. */
function sourceCalendar(state: ServerState, owner: string): ContainerRecord | undefined {
  return state.containers.get(`calendar:Default:${owner}`) ?? state.containers.get(`calendar:${owner}`);
}

/** FreebusyAclHook: the default calendar's entries that imply Freebusy, as Read (Manage as Manage). */
export function mirroredAcl(calendarAcl: AccessControlEntry[]): AccessControlEntry[] {
  return calendarAcl
    .filter((e) => verbCan(e.verb, "Freebusy") || verbCan(e.verb, "Manage"))
    .map((e) => ({ subject: e.subject, verb: verbCan(e.verb, "Manage") ? "Manage" : "Read" }));
}

function checkAccess(state: ServerState, caller: Caller | null, fb: ContainerRecord): void {
  const defaultCalendar = state.containers.get(`calendar:Default:${fb.owner}`);
  if (defaultCalendar && can(caller, defaultCalendar, "Read")) return;
  const source = sourceCalendar(state, fb.owner);
  check(caller, { ...fb, acl: [...fb.acl, ...mirroredAcl(source?.acl ?? [])] }, "Read");
}

function typeOf(e: VEvent, ownerDir: string): SlotType {
  if (e.status === "Cancelled") return "FREE";
  const own = (e.attendees ?? []).find((a) => a.dir != null && a.dir.endsWith(`/${ownerDir}`));
  const byAnswer = (): SlotType =>
    own!.partStatus === "Declined"
      ? "FREE"
      : own!.partStatus === "NeedsAction" || own!.partStatus === "Tentative"
        ? "BUSYTENTATIVE"
        : "BUSY";
  if (e.transparency !== "Transparent") return own ? byAnswer() : "BUSY";
  return own && (own.cutype === "Resource" || own.cutype === "Room") ? byAnswer() : "FREE";
}

/** An instant as BlueMind writes it: in the event's zone, or a date for all-day events. */
function dateAt(ms: number, like: BmDateTime, floatingTz: string): BmDateTime {
  if (parseBmDate(like).isDate) {
    const w = utcToWall(floatingTz, ms);
    return bmDate(w.year, w.month, w.day);
  }
  return bmDateTime(like.timezone ?? "UTC", utcToWall(like.timezone ?? "UTC", ms));
}

/** Every instance of a series overlapping [min, max), with the VEvent it comes from. */
function* instances(s: VEventSeries, tz: string, min: number, max: number): Generator<{ start: number; end: number; event: VEvent }> {
  const overrides = s.occurrences ?? [];
  if (s.main) {
    const main = { ...s.main, exdate: [...(s.main.exdate ?? []), ...overrides.map((o) => o.recurid)] };
    for (const i of seriesInstances({ ...s, main, occurrences: [] }, tz, max, min)) {
      if (i.end > min && i.start < max) yield { ...i, event: s.main };
    }
  }
  for (const o of overrides) {
    for (const i of seriesInstances({ ...s, main: { ...o, rrule: null }, occurrences: [] }, tz, max, min)) {
      if (i.end > min && i.start < max) yield { ...i, event: o };
    }
  }
}

function eventSlots(state: ServerState, caller: Caller | null, owner: string, q: VFreebusyQuery, tz: string): FreebusySlot[] {
  const min = toInstant(q.dtstart, tz);
  const max = toInstant(q.dtend, tz);
  const ownerDir = owner;
  const slots: FreebusySlot[] = [];
  for (const uid of [`calendar:Default:${owner}`, `calendar:${owner}`]) {
    const calendar = state.containers.get(uid);
    const store = state.calendar(uid);
    if (!calendar || !store) continue;
    const readable = can(caller, calendar, "Read");
    const all = can(caller, calendar, "All");
    for (const item of store.all()) {
      if (q.excludedEvents.includes(item.value.icsUid) || q.excludedEvents.includes(item.uid)) continue;
      for (const i of instances(item.value, tz, min, max)) {
        let e = i.event;
        let summary = e.summary ?? null;
        if (!readable || (e.classification && e.classification !== "Public" && !all)) {
          // VEvent.filtered(): the details (and the attendees, so the owner's answer) go.
          e = { ...e, attendees: [] };
          summary = readable ? "Private" : "";
        }
        slots.push({ dtstart: dateAt(i.start, e.dtstart, tz), dtend: dateAt(i.end, e.dtstart, tz), type: typeOf(e, ownerDir), summary });
      }
    }
  }
  return slots;
}

function hours(value: string): number {
  return Number(value) * 3_600_000;
}

/** BM-6493: out of office (non-working days, hours outside the working day) as BUSYUNAVAILABLE. */
function outOfOffice(state: ServerState, owner: string, q: VFreebusyQuery): FreebusySlot[] {
  const settings = { ...WORK_DEFAULTS, ...(state.users.get(owner)?.settings ?? {}) };
  const tz = settings.timezone;
  const days = new Set(settings.working_days.split(","));
  const start = hours(settings.work_hours_start);
  const end = hours(settings.work_hours_end);
  const slots: FreebusySlot[] = [];
  const from = utcToWall(tz, toInstant(q.dtstart, tz));
  const to = toInstant(q.dtend, tz);
  for (let day = Date.UTC(from.year, from.month - 1, from.day); ; day += DAY_MS) {
    const d = new Date(day);
    const midnight = wallToUtc(tz, {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    });
    if (midnight >= to) break;
    const at = (ms: number) => bmDateTime(tz, utcToWall(tz, ms));
    if (!days.has(DAYS[d.getUTCDay()]!)) {
      const next = new Date(day + DAY_MS);
      slots.push({
        dtstart: bmDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()),
        dtend: bmDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
        type: "BUSYUNAVAILABLE",
        summary: null,
      });
    } else if (start < end) {
      slots.push({ dtstart: at(midnight), dtend: at(midnight + start), type: "BUSYUNAVAILABLE", summary: null });
      slots.push({ dtstart: at(midnight + end), dtend: at(midnight + DAY_MS), type: "BUSYUNAVAILABLE", summary: null });
    } else {
      slots.push({ dtstart: at(midnight + end), dtend: at(midnight + start), type: "BUSYUNAVAILABLE", summary: null });
    }
  }
  return slots;
}

/** IVFreebusy.get on `freebusy:<owner>` for this caller. */
export function freebusy(state: ServerState, caller: Caller | null, containerUid: string, query: unknown): VFreebusy {
  const fb = state.containers.get(containerUid);
  if (!fb || fb.type !== "freebusy") throw notFound(`container ${containerUid} not found`);
  checkAccess(state, caller, fb);
  const q = (query ?? {}) as Partial<VFreebusyQuery>;
  if (!q.dtstart || !q.dtend || !Array.isArray(q.excludedEvents)) {
    // The service reads these without a null check.
    throw new Fault("java.lang.NullPointerException");
  }
  const full = q as VFreebusyQuery;
  const tz = state.users.get(fb.owner)?.settings["timezone"] ?? WORK_DEFAULTS.timezone;
  const slots = eventSlots(state, caller, fb.owner, full, tz);
  if (full.withOOFSlots) slots.push(...outOfOffice(state, fb.owner, full));
  return { dtstart: full.dtstart, dtend: full.dtend, slots };
}

const icsUtc = (d: BmDateTime): string =>
  new Date(toInstant(d, d.timezone ?? "UTC"))
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const FBTYPE: Record<SlotType, string> = {
  BUSY: "BUSY",
  BUSYTENTATIVE: "BUSY-TENTATIVE",
  BUSYUNAVAILABLE: "BUSY-UNAVAILABLE",
  FREE: "FREE",
};

/** VFreebusyServiceHelper.asIcs: the non-FREE slots as a VFREEBUSY. */
export function freebusyIcs(fb: VFreebusy): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//BlueMind//BlueMind Calendar//FR",
    "BEGIN:VFREEBUSY",
    `DTSTART:${icsUtc(fb.dtstart)}`,
    `DTEND:${icsUtc(fb.dtend)}`,
  ];
  for (const s of fb.slots) {
    if (s.type !== "FREE") lines.push(`FREEBUSY;FBTYPE=${FBTYPE[s.type]}:${icsUtc(s.dtstart)}/${icsUtc(s.dtend)}`);
  }
  lines.push("END:VFREEBUSY", "END:VCALENDAR");
  return lines.join("\r\n") + "\r\n";
}

/** IPublicFreebusy.get: an address of a domain of this server, seen as `callerUserUid`; else null. */
function publicFreebusy(ctx: Ctx): VFreebusy | null {
  const email = ctx.params.email!;
  const userUid = ctx.query.get("callerUserUid");
  const domainUid = ctx.query.get("callerDomain");
  for (const [name, v] of [
    ["email", email],
    ["callerUserUid", userUid],
    ["callerDomain", domainUid],
  ] as const) {
    if (v === "") throw new Fault(`${name} must not be empty`, "INVALID_PARAMETER");
  }
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  if (!email.includes("@") || !ctx.state.domains.has(domain)) return null; // external address: not checked
  const entry = dirEntryByEmail(ctx.state, domain, email);
  if (!entry) return null;
  const caller: Caller | null =
    userUid && domainUid ? { subject: userUid, domainUid, key: "", kind: "session", origin: "sfreebusy" } : ctx.caller;
  return freebusy(ctx.state, caller, `freebusy:${entry.uid}`, ctx.body);
}

export function registerFreebusy(r: Router): void {
  const v = "/api/calendars/vfreebusy/{containerUid}";
  r.post(v, (ctx) => freebusy(ctx.state, ctx.caller, ctx.params.containerUid!, ctx.body));
  r.post(`${v}/_ics`, (ctx) => freebusyIcs(freebusy(ctx.state, ctx.caller, ctx.params.containerUid!, ctx.body)));
  const s = "/api/calendars/sfreebusy/{email}";
  r.post(s, publicFreebusy);
  r.post(`${s}/_ics`, (ctx) => {
    const fb = publicFreebusy(ctx);
    return fb ? freebusyIcs(fb) : null;
  });
}
