/**
 * BlueMind JSON and the offline model's events, both ways: the model's event for a series already
 * on the server (the demo fixtures), and the series the test seeds on the server.
 */

import type { BmDateTime, VEventOccurrence, VEventSeries } from "../../../src/bluemind/types";
import { bmDate, bmDateTime, toInstant, wallOf } from "../../../server/bmdate";
import { vevent } from "../../../server/event-builders";
import { pseudoUtcToWall, utcToWall, wallToPseudoUtc, type WallClock } from "../../../server/tz";
import { DAY, endWall, MINUTE, normalTime, weekday, type ModelEvent } from "./offline-event";

/** The model's event for a series already on the server (the demo fixtures). */
export function modelFromSeries(series: VEventSeries): ModelEvent {
  const main = series.main;
  if (!main) throw new Error(`${series.icsUid}: no main event`);
  const allDay = main.dtstart.precision === "Date";
  const zone = allDay ? null : (main.dtstart.timezone ?? "UTC");
  const wallIn = (d: BmDateTime): WallClock => (allDay || zone === null ? wallOf(d) : utcToWall(zone, toInstant(d)));
  const start = wallIn(main.dtstart);
  const end = main.dtend ? wallIn(main.dtend) : start;
  const ev: ModelEvent = {
    id: series.icsUid,
    title: main.summary ?? "",
    location: main.location ?? "",
    description: main.description ?? "",
    zone,
    start,
    length: allDay
      ? Math.round((wallToPseudoUtc(end) - wallToPseudoUtc(start)) / DAY)
      : Math.round((toInstant(main.dtend ?? main.dtstart) - toInstant(main.dtstart)) / MINUTE),
    rule: null,
    exdates: new Map(),
    exceptions: new Map(),
  };
  const r = main.rrule;
  if (r) {
    const byDay = r.byDay ?? [];
    const simple =
      (r.frequency === "DAILY" || r.frequency === "WEEKLY") &&
      [r.bySecond, r.byMinute, r.byHour, r.byMonthDay, r.byYearDay, r.byWeekNo, r.byMonth, r.bySetPos].every((l) => !l || l.length === 0) &&
      (byDay.length === 0 || (byDay.length === 1 && byDay[0]!.offset === 0 && byDay[0]!.day === weekday(start)));
    if (!simple) throw new Error(`${series.icsUid}: a recurrence the model does not expand`);
    ev.rule = {
      freq: r.frequency as "DAILY" | "WEEKLY",
      interval: r.interval ?? 1,
      count: r.count ?? null,
      until: r.until ? (allDay ? wallToPseudoUtc(wallOf(r.until)) : toInstant(r.until)) : null,
      byDay: byDay[0]?.day ?? null,
    };
  }
  for (const d of main.exdate ?? []) ev.exdates.set(normalTime(ev, wallIn(d)), wallIn(d));
  for (const o of series.occurrences) {
    const ridWall = wallIn(o.recurid);
    ev.exceptions.set(normalTime(ev, ridWall), {
      ridWall,
      title: o.summary ?? "",
      start: wallIn(o.dtstart),
      end: wallIn(o.dtend ?? o.dtstart),
    });
  }
  return ev;
}

/** BlueMind JSON for an event the test seeds on the server before Thunderbird first syncs. */
export function seriesOf(ev: ModelEvent): VEventSeries {
  const at = (w: WallClock): BmDateTime => (ev.zone === null ? bmDate(w.year, w.month, w.day) : bmDateTime(ev.zone, w));
  const r = ev.rule;
  const main = vevent({
    dtstart: at(ev.start),
    dtend: at(endWall(ev, ev.start, ev.length)),
    summary: ev.title,
    location: ev.location || null,
    description: ev.description || null,
    exdate: [...ev.exdates.values()].map(at),
    rrule: r
      ? {
          frequency: r.freq,
          interval: r.interval,
          count: r.count,
          until: r.until === null ? null : at(ev.zone === null ? pseudoUtcToWall(r.until) : utcToWall(ev.zone, r.until)),
          byDay: r.byDay ? [{ day: r.byDay, offset: 0 }] : null,
        }
      : null,
  });
  const occurrences: VEventOccurrence[] = [...ev.exceptions.values()].map((e) => ({
    ...vevent({ dtstart: at(e.start), dtend: at(e.end), summary: e.title }),
    recurid: at(e.ridWall),
  }));
  return { main, occurrences, counters: [], properties: {}, icsUid: ev.id };
}
