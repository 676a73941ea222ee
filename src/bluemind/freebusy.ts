/**
 * Free/busy for Thunderbird's attendee dialog, as BlueMind's own web app gets it: the address
 * is looked up in the directory (`_byEmail`); a user or resource there is asked through
 * IVFreebusy on `freebusy:<uid>`, any other address through `sfreebusy`. Slots map to
 * Thunderbird's kinds (BUSY → busy, BUSYTENTATIVE → tentative, BUSYUNAVAILABLE →
 * unavailable); FREE is dropped. Not shared (403), unknown to BlueMind, offline or failing:
 * "no information", never an error. Answers are kept for a dialog's life (positive and
 * negative alike, so a dialog redrawing its rows sends nothing again): at most two requests
 * per attendee and range.
 */

import type { Directory, VFreebusy } from "./directory";
import { BlueMindError } from "./errors";
import type { BmDateTime } from "./types";

export type BusyKind = "busy" | "tentative" | "unavailable";

/** Times in iCalendar form: "20250414T070000Z", or "20250412" for a whole day. */
export interface BusyInterval {
  start: string;
  end: string;
  kind: BusyKind;
}

export type NoInformation = "notShared" | "unknownAddress" | "offline" | "failed" | "signedOut";

export type FreeBusyAnswer = { known: true; intervals: BusyInterval[] } | { known: false; why: NoInformation };

export interface FreeBusyRequest {
  /** The attendee's address, with or without "mailto:". */
  address: string;
  /** RFC 3339 instants (or dates) of the range shown. */
  start: string;
  end: string;
}

export interface FreeBusyDeps {
  /** BlueMind's directory for the signed-in user; rejects when nobody is signed in. */
  directory(): Promise<Directory | null>;
  now(): number;
  online(): boolean;
  /** How long an answer is kept (default 10 minutes: longer than a dialog stays open). */
  keepMs?: number;
  /** A failure (server down) is kept shorter (default 1 minute), still long enough to stop a retry storm. */
  keepFailureMs?: number;
}

const KINDS: Partial<Record<VFreebusy["slots"][number]["type"], BusyKind>> = {
  BUSY: "busy",
  BUSYTENTATIVE: "tentative",
  BUSYUNAVAILABLE: "unavailable",
};

/** "2025-04-14T09:00:00.000+02:00" -> "20250414T070000Z"; a date stays a date. */
export function icalTime(d: BmDateTime): string {
  if (d.precision === "Date" || /^\d{4}-\d{2}-\d{2}$/.test(d.iso8601)) {
    return d.iso8601.slice(0, 10).replace(/-/g, "");
  }
  return new Date(d.iso8601)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function bmUtc(rfc3339: string): BmDateTime {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(rfc3339) ? new Date(`${rfc3339}T00:00:00Z`) : new Date(rfc3339);
  if (Number.isNaN(date.getTime())) {
    throw new BlueMindError("refused", `not a date: ${rfc3339}`);
  }
  return { iso8601: date.toISOString(), timezone: "UTC", precision: "DateTime" };
}

export function toIntervals(fb: VFreebusy): BusyInterval[] {
  const out: BusyInterval[] = [];
  for (const slot of fb.slots ?? []) {
    const kind = KINDS[slot.type];
    if (kind) {
      out.push({ start: icalTime(slot.dtstart), end: icalTime(slot.dtend), kind });
    }
  }
  return out;
}

/** BlueMind's verdict "not for you" (403, or no such free/busy container): no information, kept. */
const refusal = (error: unknown): boolean =>
  error instanceof BlueMindError && (error.kind === "permissionDenied" || error.kind === "notFound");

interface Kept<T> {
  until: number;
  value: Promise<T>;
}

/** An answer for an address over [from, to). */
interface Window extends Kept<FreeBusyAnswer> {
  from: number;
  to: number;
}

/** Where an address leads: a directory entry, or the public lookup. */
type Resolution = { entryUid: string } | { external: true };

/** How much is asked at once: the dialog shows days and scrolls; a later row or range is then free. */
const WINDOW_MS = 28 * 86_400_000;

/** "20250414T070000Z" or "20250412" as an instant (a date at 00:00 UTC: only used to clip). */
function instant(ical: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(ical);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : NaN;
}

function clip(answer: FreeBusyAnswer, from: number, to: number): FreeBusyAnswer {
  if (!answer.known) return answer;
  return {
    known: true,
    intervals: answer.intervals.filter((i) => instant(i.end) > from - 86_400_000 && instant(i.start) < to + 86_400_000),
  };
}

export class FreeBusyLookup {
  private readonly resolutions = new Map<string, Kept<Resolution>>();
  private readonly windows = new Map<string, Window[]>();

  constructor(private readonly deps: FreeBusyDeps) {}

  async lookup(request: FreeBusyRequest): Promise<FreeBusyAnswer> {
    if (!this.deps.online()) {
      return { known: false, why: "offline" };
    }
    const address = request.address
      .replace(/^mailto:/i, "")
      .trim()
      .toLowerCase();
    const from = Date.parse(request.start);
    const to = Date.parse(request.end);
    if (!address.includes("@") || Number.isNaN(from) || Number.isNaN(to)) {
      return { known: false, why: "unknownAddress" };
    }
    const directory = await this.deps.directory().catch(() => null);
    if (!directory) {
      return { known: false, why: "signedOut" };
    }
    const now = this.deps.now();
    const kept = (this.windows.get(address) ?? []).filter((w) => w.until > now);
    const hit = kept.find((w) => w.from <= from && w.to >= to);
    if (hit) {
      return clip(await hit.value, from, to);
    }
    const window: Window = {
      from,
      to: Math.max(to, from + WINDOW_MS),
      until: now + (this.deps.keepMs ?? 600_000),
      value: Promise.resolve({ known: false, why: "failed" }),
    };
    window.value = this.ask(directory, address, window).catch((error: unknown): FreeBusyAnswer => {
      // A refusal is an answer, kept as long; a failure may pass sooner.
      if (!refusal(error)) window.until = this.deps.now() + (this.deps.keepFailureMs ?? 60_000);
      return { known: false, why: refusal(error) ? "notShared" : "failed" };
    });
    this.windows.set(address, [...kept, window]);
    return clip(await window.value, from, to);
  }

  /** At most two requests: `_byEmail` (once per address), then IVFreebusy or sfreebusy. */
  private async ask(directory: Directory, address: string, window: Window): Promise<FreeBusyAnswer> {
    const query = {
      dtstart: bmUtc(new Date(window.from).toISOString()),
      dtend: bmUtc(new Date(window.to).toISOString()),
      excludedEvents: [],
      withOOFSlots: true,
    };
    const now = this.deps.now();
    let where = this.resolutions.get(address);
    if (!where || where.until <= now) {
      const value = directory
        .byEmail(address)
        .then((entry): Resolution =>
          entry && (entry.kind === "USER" || entry.kind === "RESOURCE") ? { entryUid: entry.entryUid } : { external: true },
        );
      where = { until: now + (this.deps.keepMs ?? 600_000), value };
      this.resolutions.set(address, where);
      value.catch(() => this.resolutions.delete(address));
    }
    const target = await where.value;
    const fb = "entryUid" in target ? await directory.freebusy(target.entryUid, query) : await directory.publicFreebusy(address, query);
    return fb ? { known: true, intervals: toIntervals(fb) } : { known: false, why: "unknownAddress" };
  }
}
