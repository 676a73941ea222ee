/**
 * Cheap, deterministic bulk events (the 9,500-event "Archives" calendar, `addEvents`):
 * seeded PRNG, simple past single events in Europe/Paris between 2019 and 2023.
 * Results are memoised and frozen, so building a fresh demo state per test stays fast.
 */
import { vevent } from "./event-builders";
import { mulberry32 } from "./seeded-random";
import type { VEventSeries } from "../src/bluemind/types";
import { offsetAt } from "./tz";

const TZ = "Europe/Paris";
/** Meeting subjects and topics that titles are made of (also the start of the bench's lists, tools/bench/events.ts). */
export const SUBJECTS: readonly string[] = [
  "Réunion",
  "Point",
  "Revue",
  "Atelier",
  "Comité",
  "Entretien",
  "Rendez-vous",
  "Formation",
  "Démo",
  "Bilan",
];
export const TOPICS: readonly string[] = [
  "budget",
  "projet Atlas",
  "fournisseurs",
  "recrutement",
  "qualité",
  "sécurité",
  "client Dupont",
  "roadmap",
  "support",
  "infra",
];
const PLACES = ["Salle Jupiter", "Salle Saturne", "Visio", "Bureau 204", "Open space", null];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const offsetCache = new Map<number, string>();

/** "+01:00"/"+02:00" for Paris on that day (events are mid-day, far from 02:00 switches). */
function parisOffset(dayStartUtc: number): string {
  let s = offsetCache.get(dayStartUtc);
  if (s === undefined) {
    const min = offsetAt(TZ, dayStartUtc + 12 * 3_600_000) / 60_000;
    s = `${min < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(min) / 60))}:${pad(Math.abs(min) % 60)}`;
    offsetCache.set(dayStartUtc, s);
  }
  return s;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

export interface BulkEvent {
  uid: string;
  series: VEventSeries;
}

const memo = new Map<string, readonly BulkEvent[]>();

export function bulkEvents(seed: string, n: number): readonly BulkEvent[] {
  const key = `${seed}|${n}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const h = hash(seed);
  const rnd = mulberry32(h);
  const prefix = h.toString(16).padStart(8, "0");
  const first = Date.UTC(2019, 0, 1);
  const days = Math.floor((Date.UTC(2023, 11, 31) - first) / 86_400_000);
  const out: BulkEvent[] = [];
  for (let i = 0; i < n; i++) {
    const day = first + Math.floor(rnd() * days) * 86_400_000;
    const d = new Date(day);
    const hour = 8 + Math.floor(rnd() * 10);
    const minute = rnd() < 0.5 ? 0 : 30;
    const duration = [30, 60, 90][Math.floor(rnd() * 3)]!;
    const off = parisOffset(day);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const endMinutes = hour * 60 + minute + duration;
    const uid = `${prefix}-${pad(i, 6)}-4000-8000-a5c41e000000`;
    const place = PLACES[Math.floor(rnd() * PLACES.length)] ?? null;
    out.push({
      uid,
      series: {
        icsUid: uid,
        main: vevent({
          dtstart: { iso8601: `${date}T${pad(hour)}:${pad(minute)}:00.000${off}`, timezone: TZ, precision: "DateTime" },
          dtend: {
            iso8601: `${date}T${pad(Math.floor(endMinutes / 60))}:${pad(endMinutes % 60)}:00.000${off}`,
            timezone: TZ,
            precision: "DateTime",
          },
          summary: `${SUBJECTS[Math.floor(rnd() * SUBJECTS.length)]} ${TOPICS[Math.floor(rnd() * TOPICS.length)]} #${i + 1}`,
          location: place,
        }),
        occurrences: [],
        counters: [],
        properties: {},
        acceptCounters: true,
      },
    });
  }
  deepFreeze(out);
  memo.set(key, out);
  return out;
}
