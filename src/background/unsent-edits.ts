/**
 * The rule that nothing here ever loses an offline edit: a cached calendar is not removed, and
 * its cache is not turned off (which throws the cache away), while it holds edits BlueMind has
 * not received. Those are pushed first (Thunderbird replays them on a refresh); when that
 * fails, the change waits for a later sync. Why apart: every path that removes or switches a
 * calendar (reconciliation, a switch-off, sign-out) goes through this one guard.
 */

import { BlueMindError } from "../bluemind/errors";
import type { CalendarSpec } from "../sync/calendar-spec";
import type { ReconcilePlan } from "../sync/reconcile";
import type { ThunderbirdCalendars } from "../thunderbird/calendars";

/** Thunderbird clears each journal flag without waiting after the replay: read it a few times. */
const JOURNAL_SETTLE_CHECKS = 10;
const JOURNAL_SETTLE_DELAY_MS = 200;

export class UnsentEditsGuard {
  constructor(private readonly calendars: ThunderbirdCalendars) {}

  /** Pushes a cached calendar's offline edits; true when none is left. */
  async push(uri: string): Promise<boolean> {
    if ((await this.calendars.cacheState(uri)).pending === 0) {
      return true;
    }
    await this.calendars.refresh(uri);
    for (let attempt = 0; attempt < JOURNAL_SETTLE_CHECKS; attempt++) {
      if ((await this.calendars.cacheState(uri)).pending === 0) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, JOURNAL_SETTLE_DELAY_MS));
    }
    return false;
  }

  /** Before every calendar goes (sign-out): pushes each one's offline edits, and refuses while one keeps some. */
  async pushAll(): Promise<void> {
    for (const calendar of await this.calendars.list()) {
      if (!(await this.push(calendar.uri))) {
        throw new BlueMindError("pendingEdits", `${calendar.name} holds edits not sent to BlueMind`);
      }
    }
  }

  /**
   * A reconciliation plan without the removals and cache switch-offs that would lose edits,
   * and the names of the calendars kept for that reason.
   */
  async safePlan(plan: ReconcilePlan, existing: CalendarSpec[]): Promise<{ plan: ReconcilePlan; kept: string[] }> {
    const cached = new Set(existing.filter((c) => c.cached).map((c) => c.uri));
    const safe = async (uri: string): Promise<boolean> => !cached.has(uri) || (await this.push(uri));
    const remove: string[] = [];
    const kept: string[] = [];
    for (const uri of plan.remove) {
      if (await safe(uri)) {
        remove.push(uri);
      } else {
        kept.push(existing.find((c) => c.uri === uri)?.name ?? uri);
      }
    }
    const update = [];
    for (const change of plan.update) {
      if (change.changes.cached === false && !(await safe(change.uri))) {
        const rest = { ...change.changes };
        delete rest.cached;
        if (Object.keys(rest).length > 0) update.push({ uri: change.uri, changes: rest });
      } else {
        update.push(change);
      }
    }
    return { plan: { create: plan.create, update, remove }, kept };
  }
}
