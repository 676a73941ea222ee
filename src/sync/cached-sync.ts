/**
 * Incremental sync of a synced (cached) calendar or todo list, as BlueMind's own offline client does it:
 * a cheap `_version` check, `_changeset?since=<stored version>`, `_mget` in blocks of 500,
 * deletions, and only then the new version. Each block is written to Thunderbird's cache as it
 * arrives, and the stored version advances only once everything is stored, so an interrupted
 * sync resumes from the old version: items are upserted by uid, never duplicated.
 * Pushing local edits first is Thunderbird's part (its cache replays them before a refresh).
 */

import type { AnyContainerItems, ItemCodec } from "../bluemind/container-items";
import type { ItemValue } from "../bluemind/types";
import { EVENT_CODEC } from "../convert/codecs";

export const MGET_BLOCK_SIZE = 500;

export interface CacheBatch {
  ics?: string | null;
  meta?: Record<string, { itemUid: string; version: number }>;
  deletes?: string[];
  keepOnly?: string[] | null;
  version?: number | null;
}

/** The cached calendar in Thunderbird, as the sync sees it. */
export interface CalendarCache {
  state(): Promise<{ version: number | null }>;
  apply(batch: CacheBatch): Promise<void>;
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncReport {
  requests: number;
  fetched: number;
  deleted: number;
  version: number;
  unchanged: boolean;
}

/** Converts server items to one cache batch; an item the converter rejects is skipped, not fatal. */
export function toCacheBatch(
  values: ItemValue<unknown>[],
  codec: ItemCodec<unknown> = EVENT_CODEC,
  onSkip?: (uid: string, error: unknown) => void,
): CacheBatch {
  const icsUid = (value: unknown): string => {
    try {
      return value == null ? "" : codec.icsUid(value);
    } catch {
      return "";
    }
  };
  const usable = values.filter((item) => !!icsUid(item.value));
  let ics: string;
  let kept = usable;
  try {
    ics = codec.toIcs(usable.map((item) => item.value));
  } catch {
    kept = usable.filter((item) => {
      try {
        codec.toIcs([item.value]);
        return true;
      } catch (error) {
        onSkip?.(item.uid, error);
        return false;
      }
    });
    ics = codec.toIcs(kept.map((item) => item.value));
  }
  const meta: Record<string, { itemUid: string; version: number }> = {};
  for (const item of kept) {
    meta[icsUid(item.value)] = { itemUid: item.uid, version: item.version };
  }
  return { ics, meta };
}

export async function syncCachedCalendar(
  items: AnyContainerItems,
  cache: CalendarCache,
  onProgress?: (progress: SyncProgress) => void,
): Promise<SyncReport> {
  const { version: since } = await cache.state();
  let requests = 0;
  if (since !== null) {
    const current = await items.version();
    requests++;
    if (current === since) {
      return { requests, fetched: 0, deleted: 0, version: since, unchanged: true };
    }
  }
  const changes = await items.changeset(since ?? 0);
  requests++;
  const uids = [...new Set([...changes.created, ...changes.updated])];
  onProgress?.({ done: 0, total: uids.length });

  // Fetch block n+1 while block n is written into the cache.
  const blocks: string[][] = [];
  for (let i = 0; i < uids.length; i += MGET_BLOCK_SIZE) {
    blocks.push(uids.slice(i, i + MGET_BLOCK_SIZE));
  }
  let done = 0;
  let next = blocks.length > 0 ? items.mget(blocks[0] ?? []) : null;
  for (let index = 0; index < blocks.length; index++) {
    const values = await (next as Promise<ItemValue<unknown>[]>);
    requests++;
    next = index + 1 < blocks.length ? items.mget(blocks[index + 1] ?? []) : null;
    await cache.apply(toCacheBatch(values, items.codec));
    done += blocks[index]?.length ?? 0;
    onProgress?.({ done, total: uids.length });
  }

  await cache.apply({
    deletes: changes.deleted,
    // A full sync knows every item: whatever else the cache holds (from an interrupted
    // earlier sync) no longer exists on the server.
    keepOnly: since === null ? uids : null,
    version: changes.version,
  });
  return { requests, fetched: uids.length, deleted: changes.deleted.length, version: changes.version, unchanged: false };
}
