/**
 * The offline property test's operation generator: a seeded random mix of creates, edits, deletes
 * and occurrence edits on the model's events, each applied to the model as it is generated (the
 * order of the calls to the random generator is what a seed replays).
 */

import { SeededRandom } from "../../../server/seeded-random";
import { pseudoUtcToWall, type WallClock } from "../../../server/tz";
import type { TbOperation } from "./calendar-chrome";
import {
  addDays,
  DAY,
  endWall,
  instantOf,
  occurrences,
  ruleParts,
  tbTime,
  weekday,
  type ModelEvent,
  type ModelException,
  type Occurrence,
} from "./offline-event";
import { canonicalRule } from "./offline-normal";

const ZONES = ["UTC", "Europe/Paris", "America/New_York"] as const;

/** What an operation was chosen to do, for the printed mix: its kind, creations told apart. */
export type OperationLabel = "create single" | "create all-day" | "create recurring" | "create recurring all-day" | Exclude<Kind, "create">;

// ------------------------------------------------------------------ random values

const WORDS = [
  "Réunion",
  "budget",
  "équipe",
  "client",
  "revue",
  "point",
  "projet",
  "démo",
  "café",
  "sprint",
  "planning",
  "Noël",
  "été",
  "à",
  "l'agence",
  "(visio)",
  "—",
  "déjeuner",
  "formation",
  "naïve",
  "Œuvre",
  "«urgent»",
  "ça",
  "Zürich",
  "São Paulo",
  "a,b",
  "x;y",
  "back\\slash",
  '"citation"',
  "50%",
  "#42",
  "ÉTÉ",
  "日本",
];

/** The one seeded generator (server/seeded-random.ts), with this test's words and uids. */
class Random extends SeededRandom {
  chance(p: number): boolean {
    return this.bool(p);
  }

  words(min: number, max: number): string {
    return Array.from({ length: this.int(min, max) }, () => this.pick(WORDS)).join(" ");
  }

  uuid(): string {
    const hex = (n: number): string => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join("");
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${this.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  }
}

type Kind =
  | "create"
  | "modify title"
  | "modify time"
  | "modify location"
  | "modify description"
  | "delete"
  | "modify occurrence"
  | "delete occurrence";

/** The mix of operations (weights, out of 100). */
export const OPERATION_WEIGHTS: readonly (readonly [Kind, number])[] = [
  ["create", 24],
  ["modify title", 11],
  ["modify time", 10],
  ["modify location", 6],
  ["modify description", 6],
  ["delete", 10],
  ["modify occurrence", 19],
  ["delete occurrence", 14],
];

/** The model's events and the generator that changes them; OfflineWorld (offline-model.ts) adds the bookkeeping. */
export class OfflineOperations {
  protected readonly random: Random;
  protected readonly events = new Map<string, ModelEvent>();
  /** First day new events may start on (pseudo-UTC midnight). */
  private readonly firstDay: number;

  /** `anchor`: the reference server's demo "now"; new events land from 30 days before to 60 after. */
  constructor(seed: number, anchor: number) {
    this.random = new Random(seed);
    this.firstDay = Math.floor(anchor / DAY) * DAY - 30 * DAY;
  }

  protected nextOperation(): [OperationLabel, TbOperation] {
    const kind = this.random.weighted(OPERATION_WEIGHTS);
    const all = [...this.events.values()];
    const recurring = all.filter((e) => this.liveOccurrences(e).length > 0);
    const movable = all.filter((e) => e.exceptions.size === 0 && e.exdates.size === 0);
    switch (kind) {
      case "modify title":
      case "modify location":
      case "modify description":
        if (all.length) return this.modifyText(kind, this.random.pick(all));
        break;
      case "modify time":
        if (movable.length) return this.modifyTime(this.random.pick(movable));
        break;
      case "delete":
        if (all.length) {
          const ev = this.random.pick(all);
          this.events.delete(ev.id);
          return ["delete", { kind: "delete", id: ev.id }];
        }
        break;
      case "modify occurrence":
        if (recurring.length) return this.modifyOccurrence(this.random.pick(recurring));
        break;
      case "delete occurrence":
        if (recurring.length) return this.deleteOccurrence(this.random.pick(recurring));
        break;
      case "create":
        break;
    }
    return this.create(kind === "modify occurrence" || kind === "delete occurrence");
  }

  private randomTitle(): string {
    return this.random.words(1, 4);
  }

  private randomDescription(): string {
    const lines = this.random.int(1, 3);
    return Array.from({ length: lines }, () => this.random.words(2, 8)).join("\n");
  }

  private randomStart(allDay: boolean): WallClock {
    const day = pseudoUtcToWall(this.firstDay + this.random.int(0, 90) * DAY);
    return allDay ? day : { ...day, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
  }

  private randomLength(allDay: boolean): number {
    return allDay ? this.random.int(1, 3) : 15 * this.random.int(1, 16);
  }

  protected newEvent(recurring: boolean): { event: ModelEvent; label: OperationLabel } {
    const allDay = this.random.chance(0.25);
    const ev: ModelEvent = {
      id: this.random.uuid(),
      title: this.randomTitle(),
      location: this.random.chance(0.5) ? this.random.words(1, 3) : "",
      description: this.random.chance(0.5) ? this.randomDescription() : "",
      zone: allDay ? null : this.random.pick(ZONES),
      start: this.randomStart(allDay),
      length: this.randomLength(allDay),
      rule: null,
      exdates: new Map(),
      exceptions: new Map(),
    };
    if (recurring) {
      const freq = this.random.pick(["DAILY", "WEEKLY"] as const);
      ev.rule = { freq, interval: this.random.int(1, 2), count: null, until: null, byDay: freq === "WEEKLY" ? weekday(ev.start) : null };
      const end = this.random.weighted([
        ["count", 60],
        ["until", 25],
        ["never", 15],
      ] as const);
      if (end === "count") ev.rule.count = this.random.int(2, 10);
      if (end === "until") {
        const last = occurrences(ev)[this.random.int(1, 8)];
        ev.rule.until = last ? instantOf(ev, last.wall) : null;
      }
    }
    const label: OperationLabel = recurring
      ? allDay
        ? "create recurring all-day"
        : "create recurring"
      : allDay
        ? "create all-day"
        : "create single";
    return { event: ev, label };
  }

  private create(recurring: boolean): [OperationLabel, TbOperation] {
    const { event: ev, label } = this.newEvent(recurring || this.random.chance(0.35));
    this.events.set(ev.id, ev);
    const parts = ruleParts(ev);
    return [
      label,
      {
        kind: "create",
        id: ev.id,
        title: ev.title,
        location: ev.location,
        description: ev.description,
        start: tbTime(ev, ev.start),
        end: tbTime(ev, endWall(ev, ev.start, ev.length)),
        rrule: parts ? canonicalRule(parts) : null,
      },
    ];
  }

  private modifyText(kind: "modify title" | "modify location" | "modify description", ev: ModelEvent): [OperationLabel, TbOperation] {
    if (kind === "modify title") {
      ev.title = this.randomTitle();
      return [kind, { kind: "modify", id: ev.id, title: ev.title }];
    }
    if (kind === "modify location") {
      ev.location = this.random.chance(0.15) ? "" : this.random.words(1, 3);
      return [kind, { kind: "modify", id: ev.id, location: ev.location }];
    }
    ev.description = this.random.chance(0.15) ? "" : this.randomDescription();
    return [kind, { kind: "modify", id: ev.id, description: ev.description }];
  }

  /** A new time for a single event; a series moves by whole steps of its rule, keeping its weekday. */
  private modifyTime(ev: ModelEvent): [OperationLabel, TbOperation] {
    const allDay = ev.zone === null;
    const oldStart = instantOf(ev, ev.start);
    if (!ev.rule) {
      ev.start = this.randomStart(allDay);
    } else {
      const days = ev.rule.freq === "WEEKLY" ? 7 * this.random.int(-2, 2) : this.random.int(-3, 3);
      const day = addDays(ev.start, days);
      ev.start = allDay ? day : { ...day, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
      // Thunderbird moves UNTIL by the same (UTC) difference.
      if (ev.rule.until !== null) ev.rule.until += instantOf(ev, ev.start) - oldStart;
    }
    ev.length = this.randomLength(allDay);
    return ["modify time", { kind: "modify", id: ev.id, start: tbTime(ev, ev.start), end: tbTime(ev, endWall(ev, ev.start, ev.length)) }];
  }

  private liveOccurrences(ev: ModelEvent): Occurrence[] {
    return occurrences(ev).filter((o) => !ev.exdates.has(o.key));
  }

  private modifyOccurrence(ev: ModelEvent): [OperationLabel, TbOperation] {
    const occ = this.random.pick(this.liveOccurrences(ev));
    const current = ev.exceptions.get(occ.key) ?? {
      ridWall: occ.wall,
      title: ev.title,
      start: occ.wall,
      end: endWall(ev, occ.wall, ev.length),
    };
    const change = this.random.weighted([
      ["title", 50],
      ["time", 30],
      ["both", 20],
    ] as const);
    const next: ModelException = { ...current };
    if (change !== "time") next.title = this.randomTitle();
    // The title is always written: an occurrence whose title was never set follows later
    // retitles of its series in Thunderbird's memory, but not once reloaded from storage.
    const op: TbOperation = { kind: "modifyOccurrence", id: ev.id, rid: tbTime(ev, occ.wall), title: next.title };
    if (change !== "title") {
      const allDay = ev.zone === null;
      next.start = allDay
        ? addDays(occ.wall, this.random.int(-2, 2))
        : { ...occ.wall, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
      next.end = endWall(ev, next.start, allDay ? this.random.int(1, 2) : 15 * this.random.int(1, 16));
      op.start = tbTime(ev, next.start);
      op.end = tbTime(ev, next.end);
    }
    ev.exceptions.set(occ.key, next);
    return ["modify occurrence", op];
  }

  private deleteOccurrence(ev: ModelEvent): [OperationLabel, TbOperation] {
    const occ = this.random.pick(this.liveOccurrences(ev));
    ev.exceptions.delete(occ.key);
    ev.exdates.set(occ.key, occ.wall);
    return ["delete occurrence", { kind: "deleteOccurrence", id: ev.id, rid: tbTime(ev, occ.wall) }];
  }
}
