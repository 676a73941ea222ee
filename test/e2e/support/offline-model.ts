/**
 * The model behind the offline property test (offline-property.test.ts): a seeded generator
 * of calendar operations (create, modify, delete, occurrence edits) and the state they must
 * produce, computed in Node without Thunderbird or the add-on, so that "the server and
 * Thunderbird lost the same edit" cannot pass. Also the one normalized form (UTC instants,
 * DATE values for all-day events, a canonical RRULE) in which the model, the reference
 * server's store and Thunderbird's calendar are compared.
 *
 * The model only generates what has one well-defined outcome: recurring events are DAILY or
 * WEEKLY on DTSTART's weekday with COUNT, UNTIL or no end; a whole series is moved only while
 * it has no exceptions or EXDATEs (Thunderbird shifts those by the UTC difference, which is not
 * a wall-clock shift across DST); timed events start between 07:00 and 19:45, far from DST gaps.
 *
 * Split by concern: offline-normal.ts (the normalized form and its readers), offline-event.ts
 * (the model's event), offline-model-json.ts (BlueMind JSON <-> model), offline-ops.ts (the
 * operation generator); this file is the model's public face (OfflineWorld) and re-exports the rest.
 */

import type { VEventSeries } from "../../../src/bluemind/types";
import type { TbOperation } from "./calendar-chrome";
import { addMinutes, endWall, normalOf, occurrences } from "./offline-event";
import { modelFromSeries, seriesOf } from "./offline-model-json";
import { sortNormal, type NormalEvent } from "./offline-normal";
import { OfflineOperations, type OperationLabel } from "./offline-ops";

export {
  canonicalRule,
  describeDifferences,
  descriptionText,
  normalFromSeries,
  normalFromThunderbird,
  parseRuleString,
  sortNormal,
  utcString,
  type NormalEvent,
  type NormalException,
} from "./offline-normal";
export { OPERATION_WEIGHTS, type OperationLabel } from "./offline-ops";

// ------------------------------------------------------------------ the world: model + generator

export class OfflineWorld extends OfflineOperations {
  readonly counts = new Map<OperationLabel, number>();
  /** Events that were on the server before going offline. */
  private readonly fromServer = new Set<string>();
  /** Operations that changed or deleted one of those. */
  onServerEvents = 0;

  get size(): number {
    return this.events.size;
  }

  /** Takes the server's events as they are (the demo fixtures). */
  adopt(series: VEventSeries[]): void {
    for (const s of series) {
      const ev = modelFromSeries(s);
      this.events.set(ev.id, ev);
      this.fromServer.add(ev.id);
    }
  }

  /** Makes `n` more events (some with exceptions and EXDATEs) to seed on the server. */
  seedServerEvents(n: number): VEventSeries[] {
    const out: VEventSeries[] = [];
    for (let i = 0; i < n; i++) {
      const ev = this.newEvent(this.random.chance(0.5)).event;
      const occ = occurrences(ev);
      if (occ.length >= 3 && this.random.chance(0.5)) {
        ev.exdates.set(occ[1]!.key, occ[1]!.wall);
        const moved = ev.zone === null ? occ[2]!.wall : addMinutes(occ[2]!.wall, 60);
        ev.exceptions.set(occ[2]!.key, {
          ridWall: occ[2]!.wall,
          title: `${ev.title} (moved)`,
          start: moved,
          end: endWall(ev, moved, ev.length),
        });
      }
      this.events.set(ev.id, ev);
      this.fromServer.add(ev.id);
      out.push(seriesOf(ev));
    }
    return out;
  }

  /** What the calendar must hold now. */
  expected(): NormalEvent[] {
    return sortNormal([...this.events.values()].map(normalOf));
  }

  /** The next `n` operations; the model already reflects them when this returns. */
  generate(n: number): TbOperation[] {
    const ops: TbOperation[] = [];
    for (let i = 0; i < n; i++) {
      const [label, op] = this.nextOperation();
      this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
      if (op.kind !== "create" && this.fromServer.has(op.id)) this.onServerEvents++;
      ops.push(op);
    }
    return ops;
  }
}
