/**
 * Thunderbird's cache as the sync engine sees it, in memory, with the rules the provider's
 * writeBlock follows (src/experiments/bmcal/provider.js): an item holding an offline edit is
 * never overwritten nor removed; a stored version is never replaced by an older one, except
 * by a reconciliation that read it (`expect`), and then only while it is still stored.
 */
import { strict as assert } from "node:assert";
import type { VEventSeries } from "../../../src/bluemind/types";
import { icsToSeriesList } from "../../../src/convert";
import type { CacheBatch, CacheHistory, CalendarCache } from "../../../src/sync/cached-sync";

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

  async state(): Promise<CacheHistory> {
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

  async apply(batch: CacheBatch): Promise<void> {
    if (this.failAtBatch !== null && this.applied === this.failAtBatch) {
      this.failAtBatch = null;
      throw new Error("Thunderbird quit in the middle of the sync");
    }
    this.beforeApply?.(batch);
    this.applied++;
    const expected = (itemUid: string): boolean => {
      const expect = batch.expect?.[itemUid];
      return expect === undefined || this.versions.get(itemUid) === expect;
    };
    const byIcsUid = new Map(batch.ics ? icsToSeriesList(batch.ics).map((s) => [s.icsUid, s]) : []);
    for (const [icsUid, meta] of Object.entries(batch.meta ?? {})) {
      const series = byIcsUid.get(icsUid);
      assert.ok(series, `${icsUid} is in the batch's iCalendar data`);
      if (this.flagged.has(meta.itemUid) || !expected(meta.itemUid)) continue;
      const stored = this.versions.get(meta.itemUid);
      if (batch.expect?.[meta.itemUid] === undefined && stored !== undefined && stored > meta.version) continue;
      this.put(meta.itemUid, series, meta.version);
    }
    const remove = new Set(batch.deletes ?? []);
    if (batch.keepOnly) {
      const keep = new Set(batch.keepOnly);
      for (const uid of this.items.keys()) if (!keep.has(uid)) remove.add(uid);
    }
    for (const uid of remove) {
      if (this.flagged.has(uid) || !expected(uid)) continue;
      this.items.delete(uid);
      this.versions.delete(uid);
    }
    if (batch.version !== undefined && batch.version !== null) {
      this.version = batch.version;
      if (batch.syncedAt !== undefined) this.syncedAt = batch.syncedAt;
      if (batch.mailboxCopyGuid !== undefined) this.mailboxCopyGuid = batch.mailboxCopyGuid;
    }
  }
}
