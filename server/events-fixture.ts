/**
 * The realistic demo events (recurrences with overrides and exdates, all-day and multi-day,
 * several zones, alarms, attendees, private events...). Dates are placed around the week of
 * the state's creation time so they show up near "today"; uids and summaries never change.
 */
import { vevent, type VEventFields } from "./event-builders";
import type { Attendee, BmDateTime, Organizer, VEvent, VEventOccurrence, VEventSeries } from "../src/bluemind/types";
import { bmDate, bmDateTime } from "./bmdate";
import { CALENDARS, DOMAIN, USERS } from "./demo-ids";
import { utcToWall } from "./tz";

export interface EventRef {
  containerUid: string;
  uid: string;
  summary: string;
}

const ref = (containerUid: string, uid: string, summary: string): EventRef => ({ containerUid, uid, summary });

/** Stable handles on every fixture event, for tests (DEMO.events). */
export const EVENTS = {
  weeklyStandup: ref(CALENDARS.alice.uid, "e1a1ce00-0001-4000-8000-000000000001", "Stand-up hebdo"),
  clientWorkshop: ref(CALENDARS.alice.uid, "e1a1ce00-0002-4000-8000-000000000002", "Atelier client Dupont"),
  allDayLeave: ref(CALENDARS.alice.uid, "e1a1ce00-0003-4000-8000-000000000003", "Congé Alice"),
  utcDeploy: ref(CALENDARS.alice.uid, "e1a1ce00-0004-4000-8000-000000000004", "Déploiement production"),
  privateDoctor: ref(CALENDARS.alice.uid, "e1a1ce00-0005-4000-8000-000000000005", "Rendez-vous médical"),
  pastReview: ref(CALENDARS.alice.uid, "e1a1ce00-0006-4000-8000-000000000006", "Bilan trimestriel"),
  monthlyReview: ref(CALENDARS.projets.uid, "e2b0f4c8-0001-4000-8000-000000000001", "Revue mensuelle projets"),
  offsite: ref(CALENDARS.projets.uid, "e2b0f4c8-0002-4000-8000-000000000002", "Séminaire équipe"),
  newYorkCall: ref(CALENDARS.projets.uid, "e2b0f4c8-0003-4000-8000-000000000003", "Call client New York"),
  bobPrivate: ref(CALENDARS.bob.uid, "e3b0b000-0001-4000-8000-000000000001", "Entretien annuel"),
  bobLunch: ref(CALENDARS.bob.uid, "e3b0b000-0002-4000-8000-000000000002", "Déjeuner d'équipe"),
  equipePlanning: ref(CALENDARS.equipeBob.uid, "e47e2d9a-0001-4000-8000-000000000001", "Planning sprint"),
  equipeConfidential: ref(CALENDARS.equipeBob.uid, "e47e2d9a-0002-4000-8000-000000000002", "Revue RH confidentielle"),
  roomBooking: ref(CALENDARS.salles.uid, "e58f3c2a-0001-4000-8000-000000000001", "Salle Jupiter — comité de direction"),
  carolTraining: ref(CALENDARS.carol.uid, "e6ca2010-0001-4000-8000-000000000001", "Formation sécurité"),
  /** carol@sso.test's calendar (domain sso.test): one today, one weekly. */
  ssoKickoff: ref(CALENDARS.carolSso.uid, "e7ca2015-0001-4000-8000-000000000001", "Lancement de l'authentification unique"),
  ssoWeekly: ref(CALENDARS.carolSso.uid, "e7ca2015-0002-4000-8000-000000000002", "Point hebdo identité"),
} as const;

/** The New York call was sent by an external Outlook organizer: its icsUid differs from the item uid. */
export const NEW_YORK_ICS_UID = "040000008200E00074C5B7101A82E00800000000B0C7A1D0E1F2D901000000000000000010000000";

const PARIS = "Europe/Paris";

interface Day {
  year: number;
  month: number;
  day: number;
}

/** Monday (Paris wall date) of the week containing `now`. */
function mondayOf(now: number): number {
  const w = utcToWall(PARIS, now);
  const midnight = Date.UTC(w.year, w.month - 1, w.day);
  const dow = (new Date(midnight).getUTCDay() + 6) % 7;
  return midnight - dow * 86_400_000;
}

function dayAt(ms: number): Day {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** n-th (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Day {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return { year, month, day: 1 + ((weekday - first + 7) % 7) + (n - 1) * 7 };
}

function shiftMonth(d: Day, by: number): { year: number; month: number } {
  const m = d.month - 1 + by;
  return { year: d.year + Math.floor(m / 12), month: (((m % 12) + 12) % 12) + 1 };
}

const at = (tz: string, d: Day, hour: number, minute = 0): BmDateTime => bmDateTime(tz, { ...d, hour, minute, second: 0 });
const date = (d: Day): BmDateTime => bmDate(d.year, d.month, d.day);

function person(
  u: { uid: string; displayName: string; email: string },
  role: Attendee["role"],
  partStatus: Attendee["partStatus"],
  rsvp: boolean,
): Attendee {
  return {
    cutype: "Individual",
    member: null,
    role,
    partStatus,
    rsvp,
    delTo: null,
    delFrom: null,
    sentBy: null,
    commonName: u.displayName,
    dir: `bm://${DOMAIN}/users/${u.uid}`,
    lang: null,
    mailto: u.email,
    uri: null,
    internal: true,
    responseComment: null,
    counter: null,
  };
}

function external(name: string, email: string, role: Attendee["role"], partStatus: Attendee["partStatus"]): Attendee {
  return { ...person({ uid: "", displayName: name, email }, role, partStatus, true), dir: null, internal: false };
}

function organizer(u: { uid: string; displayName: string; email: string }): Organizer {
  return { uri: null, commonName: u.displayName, mailto: u.email, dir: `bm://${DOMAIN}/users/${u.uid}` };
}

function series(icsUid: string, main: VEvent, occurrences: VEventOccurrence[] = []): VEventSeries {
  return { main, occurrences, counters: [], properties: {}, icsUid, acceptCounters: true };
}

const reminder15 = [{ action: "Display" as const, trigger: -900, description: "Rappel", duration: null, repeat: null, summary: null }];

export interface FixtureEvent {
  ref: EventRef;
  series: VEventSeries;
}

/** A fixture event's VEvent: `fields` and the summary of `r` (right after dtstart and dtend, the order its JSON always had). */
function eventOf(r: EventRef, fields: Omit<VEventFields, "summary">): VEvent {
  const { dtstart, dtend, ...rest } = fields;
  return vevent({ dtstart, dtend, summary: r.summary, ...rest });
}

/** An overridden occurrence of the series of `r`: `fields` in place of the occurrence that started at `recurid`. */
function moved(r: EventRef, recurid: BmDateTime, fields: Omit<VEventFields, "summary">): VEventOccurrence {
  return { ...eventOf(r, fields), recurid };
}

/** From `start` to `end` ([hour, minute]) on day `d`, wall clock in `tz`. */
const between = (tz: string, d: Day, start: [number, number], end: [number, number]): Pick<VEvent, "dtstart" | "dtend"> => ({
  dtstart: at(tz, d, ...start),
  dtend: at(tz, d, ...end),
});

/** All fixture events, placed relative to the week of `now`. */
export function fixtureEvents(now: number): FixtureEvent[] {
  const monday = mondayOf(now);
  const d = (offset: number): Day => dayAt(monday + offset * 86_400_000);
  const { alice, bob, carol } = USERS;
  const out: FixtureEvent[] = [];
  /** The series of `r` (icsUid: its uid unless said). */
  const add = (r: EventRef, fields: Omit<VEventFields, "summary">, occurrences: VEventOccurrence[] = [], icsUid = r.uid): void => {
    out.push({ ref: r, series: series(icsUid, eventOf(r, fields), occurrences) });
  };

  // Weekly stand-up, Paris, started two weeks ago; next week's is moved to Tuesday, the one after is cancelled.
  const standupMoved = d(7);
  add(
    EVENTS.weeklyStandup,
    {
      ...between(PARIS, d(-14), [9, 30], [9, 45]),
      location: "Visio",
      rrule: { frequency: "WEEKLY", interval: 1, byDay: [{ day: "MO", offset: 0 }], count: null, until: null },
      exdate: [at(PARIS, d(14), 9, 30)],
      organizer: organizer(alice),
      attendees: [
        person(alice, "Chair", "Accepted", false),
        person(bob, "RequiredParticipant", "Accepted", true),
        person(carol, "RequiredParticipant", "NeedsAction", true),
      ],
      alarm: reminder15,
      categories: [{ containerUid: `tags_${alice.uid}`, itemUid: "tag-travail", label: "Travail", color: "3d99ff" }],
    },
    [
      moved(EVENTS.weeklyStandup, at(PARIS, standupMoved, 9, 30), {
        ...between(PARIS, d(8), [10, 0], [10, 15]),
        location: "Salle Saturne",
        organizer: organizer(alice),
        attendees: [person(alice, "Chair", "Accepted", false), person(bob, "RequiredParticipant", "Tentative", true)],
        alarm: reminder15,
        sequence: 1,
      }),
    ],
  );

  // Workshop with the full attendee palette, url, categories, two alarms.
  add(EVENTS.clientWorkshop, {
    ...between(PARIS, d(2), [14, 0], [16, 30]),
    location: "Dupont SA, 12 rue de la Paix, Paris",
    description: "<p>Atelier de cadrage avec <b>Dupont SA</b>.</p><p>Ordre du jour : besoins, planning, budget.</p>",
    url: "https://intranet.bluemind.test/projets/dupont",
    organizer: organizer(alice),
    attendees: [
      person(alice, "Chair", "Accepted", false),
      person(bob, "RequiredParticipant", "Accepted", true),
      person(carol, "OptionalParticipant", "Declined", true),
      external("Jean Dupont", "jean.dupont@dupont.example", "RequiredParticipant", "NeedsAction"),
      { ...external("Salle Jupiter", "salle.jupiter@bluemind.test", "NonParticipant", "Accepted"), cutype: "Room" },
    ],
    alarm: [
      ...reminder15,
      { action: "Email", trigger: -3600, description: "Atelier dans 1 h", duration: null, repeat: null, summary: null },
    ],
    categories: [
      { containerUid: `tags_${alice.uid}`, itemUid: "tag-client", label: "Client", color: "e04f5f" },
      { containerUid: `tags_${alice.uid}`, itemUid: "tag-travail", label: "Travail", color: "3d99ff" },
    ],
    priority: 1,
    sequence: 2,
  });

  add(EVENTS.allDayLeave, { dtstart: date(d(4)), dtend: date(d(5)), transparency: "Transparent" });

  add(EVENTS.utcDeploy, { ...between("UTC", d(2), [21, 0], [22, 0]), description: "Fenêtre de maintenance (UTC)", alarm: reminder15 });

  add(EVENTS.privateDoctor, {
    ...between(PARIS, d(3), [17, 0], [17, 45]),
    classification: "Private",
    location: "Cabinet Dr Lefèvre, 3 rue Monge",
    description: "Apporter la carte vitale",
    alarm: reminder15,
  });

  add(EVENTS.pastReview, { ...between(PARIS, d(-40), [10, 0], [12, 0]), location: "Salle Jupiter" });

  // Monthly on the 2nd Tuesday, from last month; next month's occurrence is moved and relocated.
  const anchorDay = d(0);
  const startMonth = shiftMonth(anchorDay, -1);
  const nextMonth = shiftMonth(anchorDay, 1);
  const firstReview = nthWeekday(startMonth.year, startMonth.month, 2, 2);
  const movedReview = nthWeekday(nextMonth.year, nextMonth.month, 2, 2);
  const reviewers = (): Attendee[] => [person(alice, "Chair", "Accepted", false), person(bob, "RequiredParticipant", "Accepted", true)];
  add(
    EVENTS.monthlyReview,
    {
      ...between(PARIS, firstReview, [14, 0], [15, 30]),
      location: "Salle Jupiter",
      rrule: { frequency: "MONTHLY", interval: 1, byDay: [{ day: "TU", offset: 2 }], count: 12, until: null },
      organizer: organizer(alice),
      attendees: reviewers(),
    },
    [
      moved(EVENTS.monthlyReview, at(PARIS, movedReview, 14, 0), {
        ...between(PARIS, movedReview, [16, 0], [17, 30]),
        location: "Visio",
        organizer: organizer(alice),
        attendees: reviewers(),
        sequence: 1,
      }),
    ],
  );

  add(EVENTS.offsite, { dtstart: date(d(9)), dtend: date(d(12)), location: "Annecy", description: "Trois jours de séminaire" });

  add(
    EVENTS.newYorkCall,
    {
      ...between("America/New_York", d(3), [10, 0], [11, 0]),
      organizer: { uri: null, commonName: "Mary Smith", mailto: "mary.smith@acme.example", dir: null },
      attendees: [
        external("Mary Smith", "mary.smith@acme.example", "Chair", "Accepted"),
        person(alice, "RequiredParticipant", "Accepted", false),
      ],
      conference: "https://meet.acme.example/j/123456",
      alarm: reminder15,
    },
    [],
    NEW_YORK_ICS_UID,
  );

  add(EVENTS.bobPrivate, {
    ...between(PARIS, d(1), [11, 0], [12, 0]),
    classification: "Private",
    location: "Bureau RH",
    description: "Entretien annuel d'évaluation",
    organizer: organizer(bob),
    attendees: [person(bob, "Chair", "Accepted", false), external("Sophie RH", "rh@bluemind.test", "RequiredParticipant", "Accepted")],
    categories: [{ containerUid: `tags_${bob.uid}`, itemUid: "tag-rh", label: "RH", color: "8e8e8e" }],
  });

  add(EVENTS.bobLunch, {
    ...between(PARIS, d(4), [12, 30], [14, 0]),
    location: "Brasserie du Parc",
    organizer: organizer(bob),
    attendees: [person(bob, "Chair", "Accepted", false), person(alice, "RequiredParticipant", "Accepted", true)],
  });

  add(EVENTS.equipePlanning, { ...between(PARIS, d(0), [10, 0], [11, 0]), location: "Salle Saturne" });
  add(EVENTS.equipeConfidential, {
    ...between(PARIS, d(3), [9, 0], [10, 0]),
    classification: "Confidential",
    description: "Salaires 2025",
  });

  add(EVENTS.roomBooking, { ...between(PARIS, d(0), [14, 0], [16, 0]), location: "Salle Jupiter", organizer: organizer(bob) });

  add(EVENTS.carolTraining, between(PARIS, d(1), [9, 0], [17, 0]));

  // carol@sso.test: on the day of `now` (Paris), and weekly on that weekday since two weeks ago.
  const wall = utcToWall(PARIS, now);
  const todayMidnight = Date.UTC(wall.year, wall.month - 1, wall.day);
  const today = dayAt(todayMidnight);
  const weekday = (["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const)[new Date(todayMidnight).getUTCDay()]!;
  const twoWeeksAgo = dayAt(todayMidnight - 14 * 86_400_000);
  add(EVENTS.ssoKickoff, { ...between(PARIS, today, [10, 0], [11, 0]), location: "Visio", alarm: reminder15 });
  add(EVENTS.ssoWeekly, {
    ...between(PARIS, twoWeeksAgo, [15, 0], [15, 30]),
    rrule: { frequency: "WEEKLY", interval: 1, byDay: [{ day: weekday, offset: 0 }], count: null, until: null },
  });

  return out;
}
