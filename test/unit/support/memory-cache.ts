/**
 * Thunderbird's cache as the sync engine sees it, in memory, with the rules the provider's
 * writeBlock follows, from the same planner (src/sync/cache-plan.ts): an item holding an offline edit is
 * never overwritten nor removed; a stored version is never replaced by an older one, except
 * by a reconciliation that read it (`expect`), and then only while it is still stored.
 */
import { strict as assert } from "node:assert";
import type { VEventSeries } from "../../../src/bluemind/types";
import { icsToSeriesList } from "../../../src/convert";
import { planBlock, versionStep, type StoredItem } from "../../../src/sync/cache-plan";
import type { CacheBatch, CalendarCache } from "../../../src/sync/cached-sync";
import type { StoredHistory } from "../../../src/sync/history-check";

export class MemoryCache implements CalendarCache {
  /** Item uid -> the series stored for it. */
  readonly items = new Map<string, VEventSeries>();
  /** Item uid -> the BlueMind version stored with it (-1: Thunderbird's own copy of a replayed edit). */
  readonly versions = new Map<string, number>();
  /** Item uids holding an unsent offline edit. */
  readonly flagged = new Set<string>();
  version: number | null = null;
  syncedAt: number | null = null;
  mailboxCopyGuid: string | null | undefined = undefined;
  applied = 0;
  failAtBatch: number | null = null;
  /** Runs before each batch is applied (a concurrent edit, in tests). */
  beforeApply: ((batch: CacheBatch) => void) | null = null;

  async state(): Promise<StoredHistory> {
    return { version: this.version, syncedAt: this.syncedAt, mailboxCopyGuid: this.mailboxCopyGuid };
  }

  async index(): Promise<Record<string, number>> {
    return Object.fromEntries(this.versions);
  }

  /** Stores a copy as an edit saved in Thunderbird would (tests). */
  put(itemUid: string, series: VEventSeries, version: number): void {
    this.items.set(itemUid, series);
    this.versions.set(itemUid, version);
  }

  /** Applies the block as the provider does: the plan of src/sync/cache-plan.ts, carried out. */
  async apply(batch: CacheBatch): Promise<void> {
    if (this.failAtBatch !== null && this.applied === this.failAtBatch) {
      this.failAtBatch = null;
      throw new Error("Thunderbird quit in the middle of the sync");
    }
    this.beforeApply?.(batch);
    this.applied++;
    const series = batch.ics ? icsToSeriesList(batch.ics) : [];
    const byIcsUid = new Map(series.map((s) => [s.icsUid, s]));
    const itemUidById = new Map<string, string>();
    const stored = new Map<string, StoredItem>();
    for (const [itemUid, item] of this.items) {
      const version = this.versions.get(itemUid) ?? 0;
      stored.set(item.icsUid, version === -1 ? { itemUid, version, replayed: true } : { itemUid, version });
      itemUidById.set(item.icsUid, itemUid);
    }
    const flagged = new Set([...this.flagged].map((uid) => this.items.get(uid)?.icsUid ?? `flagged:${uid}`));
    for (const icsUid of Object.keys(batch.meta ?? {})) assert.ok(byIcsUid.has(icsUid), `${icsUid} is in the batch's iCalendar data`);
    const plan = planBlock({
      items: series.map((s) => ({ id: s.icsUid, ...batch.meta?.[s.icsUid] })),
      stored: { byId: stored, idByItemUid: new Map([...itemUidById].map(([id, uid]) => [uid, id])) },
      flagged,
      online: true,
      ...batch,
    });
    for (const removal of plan.removals) {
      const itemUid = itemUidById.get(removal.id);
      if (itemUid === undefined) continue;
      this.items.delete(itemUid);
      this.versions.delete(itemUid);
    }
    for (const write of plan.writes) this.put(write.itemUid, byIcsUid.get(write.id)!, write.version);
    const rows = versionStep(plan, true);
    if (rows !== "offline" && plan.version) {
      this.version = Number(plan.version.version);
      if (batch.syncedAt !== undefined) this.syncedAt = batch.syncedAt;
      if (batch.mailboxCopyGuid !== undefined) this.mailboxCopyGuid = batch.mailboxCopyGuid;
    }
  }
}
