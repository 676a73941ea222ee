/**
 * Incremental sync of a synced (cached) calendar or todo list, as BlueMind's own offline client does it:
 * a cheap `_version` check, `_changeset?since=<stored version>`, `_mget` in blocks of 500,
 * deletions, and only then the new version. Each block is written to Thunderbird's cache as it
 * arrives, and the stored version advances only once everything is stored, so an interrupted
 * sync resumes from the old version: items are upserted by uid, never duplicated.
 * When the change log cannot be trusted (history-check.ts: a restored server, purged
 * deletions, a moved mailbox), the calendar is reconciled in full instead: every live uid,
 * compared with the stored items — never a wipe and reload.
 * Pushing local edits first is Thunderbird's part (its cache replays them before a refresh),
 * and the cache never removes or overwrites an item that still holds an offline edit.
 */

import type { AnyContainerItems, ItemCodec } from "../bluemind/container-items";
import type { ItemValue } from "../bluemind/types";
import { EVENT_CODEC } from "../convert/codecs";
import { ConvertError } from "../convert/errors";
import { checkHistory, describeReasons, type ResetReason, type StoredHistory } from "./history-check";

export const MGET_BLOCK_SIZE = 500;
/** An unchanged calendar re-stamps its last complete sync once a day, not at every check. */
const STAMP_REFRESH_MS = 86_400_000;

/** The BlueMind item behind an item of an ICS block, keyed by its iCalendar UID. */
export interface ItemMeta {
  itemUid: string;
  version: number;
}

export interface CacheBatch {
  ics?: string | null;
  meta?: Record<string, ItemMeta>;
  deletes?: string[];
  keepOnly?: string[] | null;
  /**
   * Item uid -> the version a reconciliation read in the cache's index: that item is replaced
   * or deleted only while the cache still stores that version (an edit saved meanwhile wins),
   * and then whichever is higher (after a restore, BlueMind's versions went down).
   */
  expect?: Record<string, number>;
  version?: number | null;
  /** Stored with the version: when this sync started (client clock) and the mailboxCopyGuid then. */
  syncedAt?: number;
  mailboxCopyGuid?: string | null;
}

/** The cached calendar in Thunderbird, as the sync sees it. */
export interface CalendarCache {
  state(): Promise<StoredHistory>;
  /**
   * Item uid -> the BlueMind version stored with it; -1 when the stored copy is Thunderbird's
   * own (an offline edit replayed: BlueMind's copy was never stored).
   */
  index(): Promise<Record<string, number>>;
  apply(batch: CacheBatch): Promise<void>;
  /**
   * Readies a block for storing without touching the cache (the background splits it into
   * storage rows on its worker meanwhile); resolves to what hands it over, the same as apply.
   * Lets a sync ready the next block while this one is stored. Without it, apply is used.
   */
  stage?(batch: CacheBatch): Promise<() => Promise<void>>;
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
  /** Set when the calendar was reconciled in full, and why. */
  reconciled?: { depth: "deletions" | "everything"; reasons: ResetReason[] };
}

export interface SyncContext {
  /** Client clock (ms). */
  now?: () => number;
  /** The user's current mailboxCopyGuid (`GET /api/auth`, read sparingly by the caller). */
  mailboxCopyGuid?: () => Promise<string | null>;
  log?: (message: string) => void;
}

/** The add-on's logger, when a caller gives none. */
const addonLog = (message: string): void => console.warn(`[bluemind-calendar-sync] ${message}`);

/**
 * Converts server items to one cache batch; an item the converter rejects is skipped, not fatal:
 * `log` says which and why, naming the BlueMind field at fault (ConvertError.field), then
 * `onSkip` hears of it. `log` also gets the converter's warnings, each once per batch.
 */
export function toCacheBatch(
  values: ItemValue<unknown>[],
  codec: ItemCodec<unknown> = EVENT_CODEC,
  onSkip?: (uid: string, error: unknown) => void,
  log: (message: string) => void = addonLog,
): CacheBatch {
  const said = new Set<string>();
  const warn = (message: string): void => {
    if (said.has(message)) return;
    said.add(message);
    log(message);
  };
  const skip = (uid: string, error: unknown): void => {
    const field = error instanceof ConvertError && error.field ? ` (field ${error.field})` : "";
    log(`sync: item ${uid} left out: ${error instanceof Error ? error.message : String(error)}${field}`);
    onSkip?.(uid, error);
  };
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
    ics = codec.toIcs(
      usable.map((item) => item.value),
      { warn },
    );
  } catch {
    kept = usable.filter((item) => {
      try {
        codec.toIcs([item.value], { warn });
        return true;
      } catch (error) {
        skip(item.uid, error);
        return false;
      }
    });
    ics = codec.toIcs(
      kept.map((item) => item.value),
      { warn },
    );
  }
  const meta: Record<string, ItemMeta> = {};
  for (const item of kept) {
    meta[icsUid(item.value)] = { itemUid: item.uid, version: item.version };
  }
  return { ics, meta };
}

/**
 * Fetches `uids` with `_mget` in blocks of 500 and stores what `prepare` makes of each. While
 * block n is stored, block n+1 is fetched, converted and staged (its rows split); n+1 is handed
 * over only once n is stored, and never once a store has failed (the sync stops there: what was
 * readied is dropped). Returns the requests made.
 */
async function fetchInBlocks(
  items: AnyContainerItems,
  cache: CalendarCache,
  uids: string[],
  onBlock: (done: number) => void,
  prepare: (values: ItemValue<unknown>[]) => CacheBatch | null = (values) => toCacheBatch(values, items.codec),
): Promise<number> {
  const blocks: string[][] = [];
  for (let i = 0; i < uids.length; i += MGET_BLOCK_SIZE) {
    blocks.push(uids.slice(i, i + MGET_BLOCK_SIZE));
  }
  const fetches: Promise<ItemValue<unknown>[]>[] = [];
  const fetch = (index: number): Promise<ItemValue<unknown>[]> => (fetches[index] ??= items.mget(blocks[index] ?? []));
  const stage = (batch: CacheBatch): Promise<() => Promise<void>> =>
    cache.stage ? cache.stage(batch) : Promise.resolve(() => cache.apply(batch));
  const ready = async (index: number): Promise<(() => Promise<void>) | null> => {
    const values = await fetch(index);
    if (index + 1 < blocks.length) {
      fetch(index + 1).catch(() => {}); // awaited by the next ready(); a failure surfaces there
    }
    const batch = prepare(values);
    return batch ? stage(batch) : null;
  };
  const readied = (index: number): ReturnType<typeof ready> | null => {
    if (index >= blocks.length) return null;
    const block = ready(index);
    // Its failure is met when the loop awaits it; a block readied after a failed store is
    // dropped unawaited, and neither must count as an unhandled rejection meanwhile.
    block.catch(() => {});
    return block;
  };
  let done = 0;
  let next = readied(0);
  for (let index = 0; index < blocks.length; index++) {
    const handOver = await (next as ReturnType<typeof ready>);
    const storing = handOver?.(); // handed over before the next block's conversion starts
    next = readied(index + 1);
    await storing;
    done += blocks[index]?.length ?? 0;
    onBlock(done);
  }
  return blocks.length;
}

export async function syncCachedCalendar(
  items: AnyContainerItems,
  cache: CalendarCache,
  onProgress?: (progress: SyncProgress) => void,
  context: SyncContext = {},
): Promise<SyncReport> {
  const startedAt = (context.now ?? Date.now)();
  const stored = await cache.state();
  const guid = context.mailboxCopyGuid ? await context.mailboxCopyGuid() : undefined;
  /** Stored with the new version: the history the next sync will check. */
  const stamp = { syncedAt: startedAt, ...(guid !== undefined ? { mailboxCopyGuid: guid } : {}) };
  const since = stored.version;
  let requests = 0;
  if (since === null) {
    return firstSync(items, cache, onProgress, stamp);
  }
  const current = await items.version();
  requests++;
  const verdict = checkHistory(stored, { version: current, now: startedAt, mailboxCopyGuid: guid });
  if (verdict.kind === "reconcile") {
    context.log?.(`${items.containerUid}: full reconciliation (${verdict.depth}): ${describeReasons(verdict.reasons)}`);
    const report =
      verdict.depth === "everything"
        ? await reconcileEverything(items, cache, current, onProgress, stamp)
        : await incremental(items, cache, since, current, onProgress, stamp, true);
    return { ...report, requests: report.requests + requests, reconciled: { depth: verdict.depth, reasons: verdict.reasons } };
  }
  if (current === since) {
    const stampStale = startedAt - (stored.syncedAt ?? 0) > STAMP_REFRESH_MS;
    if (stampStale || (stored.mailboxCopyGuid === undefined && guid !== undefined)) {
      await cache.apply({ version: since, ...stamp });
    }
    return { requests, fetched: 0, deleted: 0, version: since, unchanged: true };
  }
  const report = await incremental(items, cache, since, current, onProgress, stamp, false);
  return { ...report, requests: report.requests + requests };
}

type Stamp = Pick<CacheBatch, "syncedAt" | "mailboxCopyGuid">;

/** `_changeset?since=0`, every item, and nothing else kept (an interrupted earlier first sync). */
async function firstSync(
  items: AnyContainerItems,
  cache: CalendarCache,
  onProgress: ((progress: SyncProgress) => void) | undefined,
  stamp: Stamp,
): Promise<SyncReport> {
  const changes = await items.changeset(0);
  const uids = [...new Set([...changes.created, ...changes.updated])];
  onProgress?.({ done: 0, total: uids.length });
  const blocks = await fetchInBlocks(items, cache, uids, (done) => onProgress?.({ done, total: uids.length }));
  await cache.apply({ keepOnly: uids, version: changes.version, ...stamp });
  return { requests: 1 + blocks, fetched: uids.length, deleted: 0, version: changes.version, unchanged: false };
}

/**
 * The version to store: the changeset's, or the `_version` read before it when that is
 * higher. It is only higher when the log lost its last entries (purged deletions, a moved
 * mailbox's fresh log): no live item changed after the changeset's version, and storing it
 * keeps the next check at one request.
 */
const versionToStore = (changesetVersion: number, current: number): number => Math.max(changesetVersion, current);

/**
 * `_changeset` since the stored version, the changed items, the deletions. With
 * `liveUids`, also `_changeset?since=0`: the stored items BlueMind no longer lists are
 * deleted too (deletions purged from the log are never told; every live item's last change is).
 */
async function incremental(
  items: AnyContainerItems,
  cache: CalendarCache,
  since: number,
  current: number,
  onProgress: ((progress: SyncProgress) => void) | undefined,
  stamp: Stamp,
  liveUids: boolean,
): Promise<SyncReport> {
  const index = liveUids ? await cache.index() : null;
  const [changes, all] = await Promise.all([items.changeset(since), liveUids ? items.changeset(0) : null]);
  const uids = [...new Set([...changes.created, ...changes.updated])];
  onProgress?.({ done: 0, total: uids.length });
  const blocks = await fetchInBlocks(items, cache, uids, (done) => onProgress?.({ done, total: uids.length }));
  const deletes = new Set(changes.deleted);
  const expect: Record<string, number> = {};
  if (index && all) {
    const live = new Set(all.created);
    for (const [itemUid, version] of Object.entries(index)) {
      if (!live.has(itemUid) && !deletes.has(itemUid)) {
        deletes.add(itemUid);
        expect[itemUid] = version;
      }
    }
  }
  const version = versionToStore(changes.version, current);
  await cache.apply({ deletes: [...deletes], expect, version, ...stamp });
  return { requests: 1 + (all ? 1 : 0) + blocks, fetched: uids.length, deleted: deletes.size, version, unchanged: false };
}

/**
 * Every live item (`_changeset?since=0`, then `_mget` of all of them) compared with the
 * stored versions: only what is missing or differs (higher, or lower after a restore) is
 * stored; the stored items BlueMind no longer has are deleted.
 */
async function reconcileEverything(
  items: AnyContainerItems,
  cache: CalendarCache,
  current: number,
  onProgress: ((progress: SyncProgress) => void) | undefined,
  stamp: Stamp,
): Promise<SyncReport> {
  const index = await cache.index();
  const all = await items.changeset(0);
  const live = [...new Set(all.created)];
  let fetched = 0;
  onProgress?.({ done: 0, total: live.length });
  const blocks = await fetchInBlocks(
    items,
    cache,
    live,
    (done) => onProgress?.({ done, total: live.length }),
    (values) => {
      const differ = values.filter((value) => index[value.uid] !== value.version);
      if (differ.length === 0) {
        return null;
      }
      fetched += differ.length;
      const batch = toCacheBatch(differ, items.codec);
      batch.expect = Object.fromEntries(differ.filter((v) => index[v.uid] !== undefined).map((v) => [v.uid, index[v.uid] as number]));
      return batch;
    },
  );
  const liveSet = new Set(live);
  const gone = Object.keys(index).filter((itemUid) => !liveSet.has(itemUid));
  const expect = Object.fromEntries(gone.map((itemUid) => [itemUid, index[itemUid] as number]));
  const version = versionToStore(all.version, current);
  await cache.apply({ deletes: gone, expect, version, ...stamp });
  return { requests: 1 + blocks, fetched, deleted: gone.length, version, unchanged: false };
}
