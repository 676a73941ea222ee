/**
 * The scheduling part of the demo directory, kept apart from the fixture events so none of
 * their counts move: the bookable resource "Salle Jupiter" (its calendar `calendar:<uid>`,
 * its free/busy shared with the domain), a `freebusy:<uid>` container for every user and
 * resource, the fixture meetings stored as BlueMind's sanitizer leaves them, and one
 * invitation from bob, next week, that waits for alice's answer: bob's organizer copy and the
 * copy BlueMind's LMTP filter put in alice's default calendar (NeedsAction, her default
 * reminder). Bob shares his availability with alice through his calendar's Read entry, which
 * FreebusyAclHook mirrors; carol shares nothing (the domain may only invite her).
 */
import type { Attendee, BmDateTime, VEventSeries } from "../src/bluemind/types";
import { bmDateTime } from "./bmdate";
import { addCalendar } from "./demo-calendars";
import { CALENDARS, DOMAIN, USERS } from "./demo-ids";
import { sanitizeSeries } from "./event-sanitizer";
import { vevent } from "./event-builders";
import { mirroredAcl } from "./freebusy";
import { seriesDisplayName, type ServerState } from "./store";
import { utcToWall } from "./tz";

export const RESOURCES = {
  jupiter: {
    uid: "5a11e000-7a1e-4e00-8000-0000000000a1",
    displayName: "Salle Jupiter",
    email: "salle.jupiter@bluemind.test",
  },
} as const;

/** The resource's calendar (ICalendarUids.resourceCalendar). */
export const RESOURCE_CALENDARS = {
  jupiter: { uid: `calendar:${RESOURCES.jupiter.uid}`, name: RESOURCES.jupiter.displayName, owner: RESOURCES.jupiter.uid },
} as const;

export const MEETINGS = {
  /** Organised by bob in his default calendar, next week's Thursday 15:00–16:00 (Paris), with alice and Salle Jupiter. */
  bobInvitesAlice: { uid: "e8b0b1a1-0001-4000-8000-000000000001", summary: "Revue du budget 2027" },
} as const;

const PARIS = "Europe/Paris";

/** Thursday of the week after the one of `now` (Paris wall date), at `hour`. */
function nextThursday(now: number, hour: number): BmDateTime {
  const w = utcToWall(PARIS, now);
  const midnight = Date.UTC(w.year, w.month - 1, w.day);
  const monday = midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * 86_400_000;
  const d = new Date(monday + 10 * 86_400_000);
  return bmDateTime(PARIS, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute: 0, second: 0 });
}

function attendee(
  who: { uid: string; displayName: string; email: string },
  kind: "users" | "resources",
  partStatus: Attendee["partStatus"],
): Attendee {
  return {
    cutype: kind === "resources" ? "Room" : "Individual",
    member: null,
    role: kind === "resources" ? "NonParticipant" : "RequiredParticipant",
    partStatus,
    rsvp: partStatus === "NeedsAction",
    delTo: null,
    delFrom: null,
    sentBy: null,
    commonName: who.displayName,
    dir: `bm://${DOMAIN}/${kind}/${who.uid}`,
    lang: null,
    mailto: who.email,
    uri: null,
    internal: true,
    responseComment: null,
    counter: null,
  };
}

function addResource(state: ServerState): void {
  const room = RESOURCES.jupiter;
  state.addDirEntry({
    uid: room.uid,
    kind: "RESOURCE",
    displayName: room.displayName,
    email: room.email,
    path: `${DOMAIN}/resources/${room.uid}`,
    domainUid: DOMAIN,
  });
  // Anyone in the domain may book the room and see when it is taken (Freebusy implies Invitation).
  const c = RESOURCE_CALENDARS.jupiter;
  addCalendar(state, c, { defaultContainer: true, acl: [{ subject: DOMAIN, verb: "Freebusy" }] });
}

/** IFreebusyUids.getFreebusyContainerUid for every user and resource, ACL mirrored from its calendar. */
function addFreebusyContainers(state: ServerState): void {
  for (const entry of state.directory.values()) {
    if (entry.kind !== "USER" && entry.kind !== "RESOURCE") continue;
    const source = state.containers.get(`calendar:Default:${entry.uid}`) ?? state.containers.get(`calendar:${entry.uid}`);
    state.addContainer({
      uid: `freebusy:${entry.uid}`,
      name: `freebusy:${entry.uid}`,
      type: "freebusy",
      owner: entry.uid,
      domainUid: entry.domainUid,
      defaultContainer: true,
      acl: mirroredAcl(source?.acl ?? []),
    });
  }
}

function addInvitation(state: ServerState, now: number, created: number): void {
  const { alice, bob } = USERS;
  const room = RESOURCES.jupiter;
  const m = MEETINGS.bobInvitesAlice;
  const main = vevent({
    dtstart: nextThursday(now, 15),
    dtend: nextThursday(now, 16),
    summary: m.summary,
    location: room.displayName,
    description: "Arbitrages du budget de l'an prochain.",
    organizer: { uri: null, commonName: bob.displayName, mailto: bob.email, dir: `bm://${DOMAIN}/users/${bob.uid}` },
    attendees: [attendee(alice, "users", "NeedsAction"), attendee(room, "resources", "Accepted")],
  });
  const organizerCopy: VEventSeries = { main, occurrences: [], counters: [], properties: {}, icsUid: m.uid, acceptCounters: true };
  const aliceCopy = structuredClone(organizerCopy);
  aliceCopy.main!.alarm = [{ action: "Display", trigger: -900, description: null, duration: null, repeat: null, summary: null }];
  const roomCopy = structuredClone(organizerCopy);
  for (const [calendarUid, series, author] of [
    [CALENDARS.bob.uid, organizerCopy, bob.uid],
    [CALENDARS.alice.uid, aliceCopy, "system"],
    [RESOURCE_CALENDARS.jupiter.uid, roomCopy, "system"],
  ] as const) {
    state.calendar(calendarUid)!.create(m.uid, series, seriesDisplayName(series), author, created);
  }
}

/** Adds the resource, the free/busy containers and the invitation; sanitizes the stored meetings. */
export function addDemoMeetings(state: ServerState, now: number): void {
  addResource(state);
  addFreebusyContainers(state);
  // BlueMind stores only sanitized events: the fixtures' organizers leave their attendee lists.
  for (const c of state.containers.values()) {
    for (const item of c.type === "calendar" ? (state.calendar(c.uid)?.all() ?? []) : []) {
      if (item.value.main?.organizer || item.value.occurrences?.some((o) => o.organizer))
        sanitizeSeries(state, c.domainUid, item.value, false);
    }
  }
  addInvitation(state, now, now - 2 * 86_400_000);
}
