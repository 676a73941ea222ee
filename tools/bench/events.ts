/**
 * Why: the bench needs 10,000 events that look like a real BlueMind calendar, identical on every
 * run so that runs compare: mostly Paris meetings with a place and notes, recurring series with
 * cancelled and moved occurrences, all-day and multi-day entries, invitations with attendees and
 * a reminder, a few New York and UTC ones. Seeded with the reference server's own tiny PRNG and
 * VEvent defaults (server/event-builders.ts, no dependency), titles from its archive's words and
 * more (server/events-bulk.ts); dates are spread over the 3 years before and the year after the
 * anchor day.
 */

import { bmDate, bmDateTime } from "../../server/bmdate";
import { vevent } from "../../server/event-builders";
import { SUBJECTS as BULK_SUBJECTS, TOPICS as BULK_TOPICS } from "../../server/events-bulk";
import { mulberry32 } from "../../server/seeded-random";
import type { Attendee, BmDateTime, Organizer, RRule, VEvent, VEventOccurrence, VEventSeries, WeekDayName } from "../../src/bluemind/types";

export type EventKind = "single" | "recurring" | "allDay" | "meeting" | "otherZone";

export interface BenchEvent {
  uid: string;
  kind: EventKind;
  series: VEventSeries;
}

export interface Person {
  name: string;
  email: string;
}

const DAY_MS = 86_400_000;
const PARIS = "Europe/Paris";
const WEEKDAYS: WeekDayName[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

const SUBJECTS = [...BULK_SUBJECTS, "Déjeuner", "Appel"];
const TOPICS = [...BULK_TOPICS, "migration messagerie", "partenaires"];
const PLACES = [
  "Salle Jupiter",
  "Salle Saturne",
  "Salle Mercure",
  "Visio",
  "Bureau 204",
  "Open space",
  "Siège, 3e étage",
  "Café du coin",
  "Toulouse — agence",
  "Lyon Part-Dieu",
];
const NOTES = [
  "Ordre du jour : point d'avancement, risques, prochaines étapes.",
  "Merci de relire le compte rendu précédent avant la réunion.",
  "Lien visio : https://visio.bluemind.test/r/8f3c2a10",
  "Apporter les chiffres du trimestre.",
  "Prévoir 10 minutes de questions à la fin.",
  "Document de travail partagé dans le drive de l'équipe.",
  "Décisions attendues sur le périmètre et le calendrier.",
  "Café et viennoiseries prévus.",
];
const ALL_DAY = [
  "Congé",
  "Formation",
  "Salon professionnel",
  "Déplacement Lyon",
  "Séminaire",
  "Télétravail",
  "Jour férié local",
  "Inventaire",
];
const PEOPLE: Person[] = [
  { name: "Alice Martin", email: "alice@bluemind.test" },
  { name: "Bob Durand", email: "bob@bluemind.test" },
  { name: "Carol Petit", email: "carol@bluemind.test" },
  { name: "David Leroy", email: "david.leroy@bluemind.test" },
  { name: "Emma Moreau", email: "emma.moreau@bluemind.test" },
  { name: "Farid Benali", email: "farid.benali@bluemind.test" },
  { name: "Gaëlle Roux", email: "gaelle.roux@bluemind.test" },
  { name: "Hugo Fontaine", email: "hugo@dupont-industrie.example" },
  { name: "Inès Garnier", email: "ines.garnier@partenaire.example" },
  { name: "John Carter", email: "john.carter@nyclient.example" },
];

interface Day {
  year: number;
  month: number;
  day: number;
}

const dayOf = (ms: number): Day => {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
const dayMs = (d: Day): number => Date.UTC(d.year, d.month - 1, d.day);
const addDays = (d: Day, n: number): Day => dayOf(dayMs(d) + n * DAY_MS);
/** Same day of month, n months later (callers keep the day ≤ 28). */
const addMonths = (d: Day, n: number): Day => {
  const m = d.month - 1 + n;
  return { year: d.year + Math.floor(m / 12), month: (m % 12) + 1, day: d.day };
};
const at = (tz: string, d: Day, minutes: number): BmDateTime =>
  bmDateTime(tz, { ...d, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 });

const series = (uid: string, main: VEvent, occurrences: VEventOccurrence[] = []): VEventSeries => ({
  main,
  occurrences,
  counters: [],
  properties: {},
  icsUid: uid,
  acceptCounters: true,
});

/**
 * `count` series for the calendar of `owner`, the same for the same seed and anchor day.
 * Mix: ~70% single timed (Paris), ~12% weekly/monthly series, ~10% all-day, ~5% invitations
 * with attendees and a 15-minute reminder, ~3% New York or UTC.
 */
export function benchEvents(count: number, owner: Person, seed = 20_240_501, anchorMs = Date.now()): BenchEvent[] {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const hex = (n: number): string => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");
  const anchor = dayOf(anchorMs);
  const firstDay = addDays(anchor, -3 * 365);
  const span = 4 * 365;

  const title = (): string => `${pick(SUBJECTS)} ${pick(TOPICS)}`;
  const notes = (): string => Array.from({ length: 1 + int(3) }, () => pick(NOTES)).join("\n");
  /** 08:00-17:45 in quarter hours, and a duration that ends the same day. */
  const slot = (): { start: number; minutes: number } => ({ start: 8 * 60 + 15 * int(40), minutes: pick([30, 45, 60, 60, 90, 120]) });
  const timed = (tz: string, d: Day, start: number, minutes: number) => ({ dtstart: at(tz, d, start), dtend: at(tz, d, start + minutes) });
  const attendee = (p: Person, role: Attendee["role"], partStatus: Attendee["partStatus"]): Attendee => ({
    cutype: "Individual",
    member: null,
    role,
    partStatus,
    rsvp: role !== "Chair",
    delTo: null,
    delFrom: null,
    sentBy: null,
    commonName: p.name,
    dir: null,
    lang: null,
    mailto: p.email,
    uri: null,
    internal: p.email.endsWith("@bluemind.test"),
    responseComment: null,
    counter: null,
  });
  const organizer = (p: Person): Organizer => ({ uri: null, commonName: p.name, mailto: p.email, dir: null });

  /** A Paris meeting at `start` for `minutes` on `d`, with a title, a place and notes (drawn in that order). */
  const parisMeeting = (d: Day, start: number, minutes: number) => ({
    ...timed(PARIS, d, start, minutes),
    summary: title(),
    location: pick(PLACES),
    description: notes(),
  });

  const single = (uid: string, d: Day): VEventSeries => {
    const { start, minutes } = slot();
    return series(uid, vevent({ ...parisMeeting(d, start, minutes), classification: rnd() < 0.03 ? "Private" : "Public" }));
  };

  const recurring = (uid: string, d: Day): VEventSeries => {
    const weekly = rnd() < 0.6;
    const day = weekly ? d : { ...d, day: Math.min(d.day, 28) };
    const interval = weekly && rnd() < 0.2 ? 2 : 1;
    const occurrences = weekly ? 8 + int(45) : 6 + int(19);
    const occurrenceDay = (k: number): Day => (weekly ? addDays(day, 7 * interval * k) : addMonths(day, k));
    const { start, minutes } = slot();
    const rrule: RRule = {
      frequency: weekly ? "WEEKLY" : "MONTHLY",
      interval,
      count: occurrences,
      until: null,
      byDay: weekly ? [{ day: WEEKDAYS[new Date(dayMs(day)).getUTCDay()]!, offset: 0 }] : null,
      byMonthDay: weekly ? null : [day.day],
    };
    if (rnd() < 0.25) {
      rrule.count = null;
      rrule.until = at(PARIS, occurrenceDay(occurrences - 1), 23 * 60 + 59);
    }
    const summary = weekly
      ? `${pick(["Stand-up", "Point hebdo", "Comité", "Suivi"])} ${pick(TOPICS)}`
      : `${pick(["Revue mensuelle", "Comité mensuel", "Bilan"])} ${pick(TOPICS)}`;
    const location = pick(PLACES);
    const main = vevent({ ...timed(PARIS, day, start, minutes), summary, location, description: notes(), rrule });
    const cancelled = rnd() < 0.3 ? 1 + int(occurrences - 1) : null;
    if (cancelled !== null) main.exdate = [at(PARIS, occurrenceDay(cancelled), start)];
    const moved: VEventOccurrence[] = [];
    let k = 1 + int(occurrences - 1);
    if (k === cancelled) k = k === 1 ? 2 : k - 1;
    if (rnd() < 0.25 && k < occurrences) {
      const to = rnd() < 0.5 ? { d: addDays(occurrenceDay(k), 1), start } : { d: occurrenceDay(k), start: Math.min(start + 60, 18 * 60) };
      moved.push({
        ...vevent({
          ...timed(PARIS, to.d, to.start, minutes),
          summary,
          location: pick(PLACES),
          description: main.description,
          sequence: 1,
        }),
        recurid: at(PARIS, occurrenceDay(k), start),
      });
    }
    return series(uid, main, moved);
  };

  const allDay = (uid: string, d: Day): VEventSeries => {
    const end = addDays(d, rnd() < 0.3 ? 2 + int(4) : 1);
    return series(
      uid,
      vevent({
        dtstart: bmDate(d.year, d.month, d.day),
        dtend: bmDate(end.year, end.month, end.day),
        summary: pick(ALL_DAY),
        transparency: "Transparent",
        location: rnd() < 0.4 ? pick(PLACES) : null,
        description: rnd() < 0.5 ? notes() : null,
      }),
    );
  };

  const meeting = (uid: string, d: Day): VEventSeries => {
    const { start, minutes } = slot();
    const host = rnd() < 0.6 ? owner : pick(PEOPLE.filter((p) => p.email !== owner.email));
    const others = PEOPLE.filter((p) => p.email !== host.email && p.email !== owner.email);
    const invited = [owner, ...Array.from({ length: 1 + int(5) }, () => pick(others))].filter(
      (p, i, all) => all.indexOf(p) === i && p.email !== host.email,
    );
    const attendees = [
      attendee(host, "Chair", "Accepted"),
      ...invited.map((p) =>
        attendee(
          p,
          rnd() < 0.8 ? "RequiredParticipant" : "OptionalParticipant",
          pick(["Accepted", "Accepted", "Tentative", "NeedsAction", "Declined"] as const),
        ),
      ),
    ];
    return series(
      uid,
      vevent({
        ...parisMeeting(d, start, minutes),
        organizer: organizer(host),
        attendees,
        alarm: [{ action: "Display", trigger: -900, description: "Rappel", duration: null, repeat: null, summary: null }],
      }),
    );
  };

  const otherZone = (uid: string, d: Day): VEventSeries => {
    if (rnd() < 0.67) {
      const start = 9 * 60 + 30 * int(16);
      return series(
        uid,
        vevent({
          ...timed("America/New_York", d, start, 60),
          summary: `Call ${pick(["client New York", "équipe US", "partenaire Boston"])}`,
          location: "Zoom",
          description: notes(),
        }),
      );
    }
    const start = 6 * 60 + 30 * int(28);
    return series(
      uid,
      vevent({
        ...timed("UTC", d, start, pick([30, 60, 120])),
        summary: `${pick(["Déploiement", "Maintenance", "Mise à jour"])} ${pick(["production", "préproduction", "messagerie"])}`,
        location: null,
        description: notes(),
      }),
    );
  };

  const out: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const uid = `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`;
    const d = addDays(firstDay, int(span));
    const r = rnd();
    const kind: EventKind = r < 0.7 ? "single" : r < 0.82 ? "recurring" : r < 0.92 ? "allDay" : r < 0.97 ? "meeting" : "otherZone";
    const make = { single, recurring, allDay, meeting, otherZone }[kind];
    out.push({ uid, kind, series: make(uid, d) });
  }
  return out;
}

/** Counts per kind, for the report. */
export function kindCounts(events: readonly BenchEvent[]): Record<EventKind, number> {
  const counts: Record<EventKind, number> = { single: 0, recurring: 0, allDay: 0, meeting: 0, otherZone: 0 };
  for (const e of events) counts[e.kind]++;
  return counts;
}
