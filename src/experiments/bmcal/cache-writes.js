/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * How a sync's blocks reach a cached calendar's storage, loaded by parent.js into provider.js's
 * scope (applyCacheChanges queues the blocks). Why a file of its own: this is where the first
 * sync spends its time (docs/thunderbird-cached-calendar.md, "Storage performance"), and where
 * Thunderbird gives no API:
 * - the cache's rules are decided by BmCachePlan (src/sync/cache-plan.ts, unit-tested), and
 *   writeBlock only carries its plan out;
 * - a block's writes are issued at once and awaited together, inside one SQLite transaction on
 *   the cache connection (cacheTransaction), the version last in it;
 * - large blocks are parsed synchronously in small pieces (parseBlock);
 * - the blocks of one sync plan against the index the previous block left (carriedIndexes),
 *   not against every metadata row read again.
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, cal, BmCachePlan, BmIcsBlocks, parseIcs, offlineFlaggedIds, storedIdsOf, insertRows, askViewsToReload, yieldToEventLoop */
/* global setTimeout */
/* exported parseBlock, writeBlock, forgetStoredIndex, endsSync */

/** Blocks at least this large read the whole metadata index (see storedIndexFor). */
const INDEX_BLOCK_SIZE = 100;
/** How many adoptItem calls are issued in one task (see writeBlock; the rows' binding: BIND_SLICE). */
const ISSUE_SLICE = 20;
/** iCalendar text longer than this (about 50 events) is parsed in pieces (see parseBlock). */
const SPLIT_PARSE_MIN_CHARS = 25000;
const PARSE_PIECE_ITEMS = 50;

/** @type {Set<string> | null} Thunderbird's own zones (canonical TZIDs), read once. */
let ownZoneIds = null;

/**
 * Whether Thunderbird resolves this TZID by itself, so the text's VTIMEZONE can be left out
 * (BmIcsBlocks.splitIcs). A set of the ids, not getTimezone: that logs an error for every
 * unknown zone (a Windows name from Outlook, say), which is then kept.
 * @param {string} tzid
 */
function isOwnZone(tzid) {
  ownZoneIds ??= new Set(cal.timezoneService.timezoneIds);
  return ownZoneIds.has(tzid);
}

/**
 * A block from BlueMind, parsed synchronously in pieces of PARSE_PIECE_ITEMS items with a
 * yield after each (the previous block is stored meanwhile): measured cheaper than Thunderbird's
 * worker, which costs more main-thread time to hand the events back (see README, Benchmark).
 * The yield after the last piece too: without it the block's writes (each adoptItem's
 * synchronous part) ran in the same task as that parse, the longest main-thread stall of a
 * first sync (Gecko profiler, 1 ms samples: 201 of the stall's 330 samples in the parse, 96 in
 * adoptItem); with pieces of 100 and no yield after the last, the bench's longest stall was 246-291 ms.
 * The VTIMEZONEs of Thunderbird's own zones are left out (see src/sync/ics-blocks.ts): each
 * parsed copy of one was expanded from 1970 again, about 0.2 s of a 10,000-event month's query
 * (Gecko profiler, TB 153), and the items then use the zone a cached calendar's stored items use.
 * @param {string | null | undefined} ics
 * @returns {Promise<calIItemBase[]>}
 */
async function parseBlock(ics) {
  if (!ics) {
    return [];
  }
  if (ics.length <= SPLIT_PARSE_MIN_CHARS) {
    return BmIcsBlocks.splitIcs(ics, Infinity, isOwnZone).flatMap((text) => parseIcs(text));
  }
  const items = [];
  for (const piece of BmIcsBlocks.splitIcs(ics, PARSE_PIECE_ITEMS, isOwnZone)) {
    items.push(...parseIcs(piece));
    await yieldToEventLoop();
  }
  return items;
}

/**
 * Per cache storage: the full index as the last block of the running sync left it
 * (BmCachePlan.indexAfter), and a generation that every other metadata write bumps. Why:
 * reading the full index is two synchronous scans of every metadata row (getAllMetaDataIds,
 * getAllMetaDataValues: 74 ms at 10,000 items on TB 153, plus 30 ms to read the rows), which
 * made each later block of a first sync the longest task of it, and 11 % of its main-thread
 * time (Gecko profiler). Only the blocks of one sync carry it: the sync's last block (the
 * version, deletions or keepOnly) drops it, as do an error and going offline, so each sync starts
 * from what the cache stores. Our provider's own writes (item-writes.js) and a reset drop it
 * too (forgetStoredIndex). A row Thunderbird deletes by itself (an item deleted, with its
 * metadata) may stay in it for the rest of that sync: the plan then removes or replaces an
 * id that is gone, which both do as a no-op.
 * @type {WeakMap<calISyncWriteCalendar, { generation: number, index: import("../../sync/cache-plan").StoredIndex | null }>}
 */
const carriedIndexes = new WeakMap();

/** @param {calISyncWriteCalendar} storage */
function carriedIndexOf(storage) {
  let carried = carriedIndexes.get(storage);
  if (!carried) {
    carried = { generation: 0, index: null };
    carriedIndexes.set(storage, carried);
  }
  return carried;
}

/**
 * Drops the index a sync carries: the next block reads the cache's metadata again.
 * @param {calISyncWriteCalendar | null} storage - null (an online-only calendar): nothing to drop
 */
function forgetStoredIndex(storage) {
  if (!storage) {
    return;
  }
  const carried = carriedIndexOf(storage);
  carried.generation++;
  carried.index = null;
}

/**
 * Whether these changes are a sync's last block (the version, deletions or keepOnly): it waits
 * for every block before it, and the next sync reads the cache's metadata again.
 * @param {CacheChanges} changes
 */
function endsSync(changes) {
  return changes.version != null || !!(changes.deletes && changes.deletes.length) || !!changes.keepOnly;
}

/**
 * The stored items the plan looks at: the index the sync carries, all of our metadata, or only
 * the block's ids (small blocks). `full` when it is the whole index (it may then be carried).
 * @param {calISyncWriteCalendar} storage
 * @param {string[]} blockIds
 * @param {CacheChanges} changes
 * @returns {{ index: import("../../sync/cache-plan").StoredIndex, full: boolean }}
 */
function storedIndexFor(storage, blockIds, changes) {
  const carried = carriedIndexOf(storage).index;
  if (carried) {
    return { index: carried, full: true };
  }
  const needIndex =
    (changes.deletes && changes.deletes.length) ||
    changes.keepOnly ||
    blockIds.length >= INDEX_BLOCK_SIZE ||
    Object.keys(changes.expect || {}).length;
  if (needIndex) {
    return { index: BmCachePlan.indexFromMeta(storage.getAllMetaDataIds(), storage.getAllMetaDataValues()), full: true };
  }
  const ids = [...new Set(blockIds)];
  const values = ids.map((id) => {
    try {
      return storage.getMetaData(id) || "";
    } catch (e) {
      return "";
    }
  });
  // idByItemUid stays empty: a small incremental upsert does not look for moved UIDs.
  return { index: { byId: BmCachePlan.indexFromMeta(ids, values).byId, idByItemUid: new Map() }, full: false };
}

/**
 * After a block: the index its plan leaves, carried to the sync's next block, unless this was
 * the sync's last block, or another write touched the metadata meanwhile.
 * @param {calISyncWriteCalendar} storage
 * @param {number} generation - the carried index's generation when the block was planned
 * @param {{ index: import("../../sync/cache-plan").StoredIndex, full: boolean }} read
 * @param {import("../../sync/cache-plan").BlockPlan} plan
 * @param {boolean} carry
 */
function carryIndex(storage, generation, read, plan, carry) {
  const carried = carriedIndexOf(storage);
  if (carry && read.full && carried.generation == generation) {
    carried.index = BmCachePlan.indexAfter(read.index, plan);
  } else {
    forgetStoredIndex(storage);
  }
}

/**
 * Stores one block as BmCachePlan (src/sync/cache-plan.ts, the cache's rules) plans it: all its
 * writes issued at once and awaited together, inside one transaction on the cache connection
 * (cacheTransaction), the version's rows last in the same transaction. Parsed items are adopted;
 * the simple events the background sent as rows are inserted as such (direct-rows.js). Thunderbird's
 * views and alarms hear the adopted ones through the cache observer, left attached, inside
 * startBatch()/endBatch(): the alarm service then skips each onAddItem ("we're going to reload
 * anyway") and reads the calendar's alarms again at the onLoad that ends the sync (provider.js,
 * syncNow; CalAlarmService's onEndBatch only ends the batch, in 140 and 153 alike). Rows reach
 * no observer: the views are asked to read the calendar again (viewsCatchUp).
 * Resolves with "stored", or "offline" when Thunderbird went offline and the sync must stop.
 * @param {calICalendar} calendar
 * @param {calIOfflineStorage} storage
 * @param {calIItemBase[]} items
 * @param {CacheChanges} changes
 * @param {{ model: any, items: EventRows[] } | null} [rowBatch] - rows to insert, and the storage model they go through
 */
async function writeBlock(calendar, storage, items, changes, rowBatch = null) {
  const flagged = await offlineFlaggedIds(storage);
  const rowItems = rowBatch?.items || [];
  const meta = (id) => ({ id, itemUid: changes.meta?.[id]?.itemUid, version: changes.meta?.[id]?.version });
  const blockIds = [...items.map((item) => item.id), ...rowItems.map((row) => row.id)];
  const generation = carriedIndexOf(storage).generation;
  const read = storedIndexFor(storage, blockIds, changes);
  const plan = BmCachePlan.planBlock({
    items: blockIds.map(meta),
    stored: read.index,
    flagged,
    online: !Services.io.offline,
    deletes: changes.deletes,
    keepOnly: changes.keepOnly,
    expect: changes.expect,
    version: changes.version,
    syncedAt: changes.syncedAt,
    mailboxCopyGuid: changes.mailboxCopyGuid,
  });
  const last = endsSync(changes);
  if (plan.stop) {
    // Gone offline mid-sync: the user may now edit offline; nothing read before is stored.
    forgetStoredIndex(storage);
    return "offline";
  }
  if (!plan.writes.length && !plan.removals.length && !plan.version) {
    carryIndex(storage, generation, read, plan, !last);
    return "stored";
  }
  /** The last copy of each id, as the plan chose it. */
  const itemById = new Map(items.map((item) => [item.id, item]));
  const rowById = new Map(rowItems.map((row) => [row.id, row]));
  const rowWrites = plan.writes.filter((write) => rowById.has(write.id));
  let wentOffline = false;
  let carry = false;
  // The batch ends after the commit; the alarm service reads the calendar again at the sync's onLoad.
  storage.startBatch();
  try {
    await cacheTransaction(storage, async () => {
      const removals = plan.removals.map(async (removal) => {
        const item = await storage.getItem(removal.id);
        if (item) {
          await storage.deleteItem(item);
        }
        storage.deleteMetaData(removal.id);
      });
      const adopt = async (/** @type {PlannedWrite} */ write) => {
        const item = /** @type {calIItemBase} */ (itemById.get(write.id)); // the plan writes the block's ids only
        item.calendar = calendar.superCalendar;
        await storage.adoptItem(item); // relaxed mode: replaces an existing copy
        storage.setMetaData(write.id, write.meta);
      };
      // Issued ISSUE_SLICE at a time with a yield between: each adoptItem binds its rows
      // synchronously before its first await (1-3 ms a series), so a block's 60 series issued
      // in one task held the main thread 70-150 ms. They are still all in flight together.
      const writes = [];
      for (const write of plan.writes.filter((planned) => !rowById.has(planned.id))) {
        if (writes.length && writes.length % ISSUE_SLICE == 0) {
          await yieldToEventLoop();
        }
        const written = adopt(write);
        written.catch(() => {}); // awaited below with the rest; not an uncaught rejection meanwhile
        writes.push(written);
      }
      const rowsStored = rowBatch && rowWrites.length ? [storeRows(rowBatch.model, rowWrites, rowById)] : [];
      // Every write settles before the version, and before the commit: none stays in flight.
      const failed = (await Promise.allSettled([...removals, ...writes, ...rowsStored])).find((result) => result.status == "rejected");
      if (failed) {
        throw failed.reason;
      }
      const rows = BmCachePlan.versionStep(plan, !Services.io.offline);
      if (rows == "offline") {
        // Offline while the block was stored: its writes stand (each was planned online), but
        // not the version, so the next sync redoes the block.
        wentOffline = true;
        return;
      }
      for (const [key, value] of rows) {
        storage.setMetaData(key, value);
      }
      carry = !last;
    });
  } finally {
    carryIndex(storage, generation, read, plan, carry);
    storage.endBatch();
    if (rowWrites.length) {
      viewsCatchUp(calendar, changes.version != null);
    }
  }
  return wentOffline ? "offline" : "stored";
}

/**
 * Inserts the planned rows: an id the storage already holds (a replacement, or rows of ours
 * without metadata) is deleted first, through the model, which also drops it from Thunderbird's
 * item caches; then every event's rows and metadata row go as one batch (direct-rows.js).
 * @param {any} model
 * @param {PlannedWrite[]} writes
 * @param {Map<string, EventRows>} rowById
 */
async function storeRows(model, writes, rowById) {
  const stored = await storedIdsOf(
    model,
    writes.map((write) => write.id),
  );
  await Promise.all(
    writes.filter((write) => write.op == "replace" || stored.has(write.id)).map((write) => model.deleteItemById(write.id, false)),
  );
  await insertRows(
    model,
    writes.map((write) => /** @type {EventRows} */ (rowById.get(write.id))),
    new Map(writes.map((write) => [write.id, write.meta])),
  );
}

/** How often at most the open views re-read a calendar whose rows a long sync is writing. */
const VIEWS_CATCH_UP_MS = 4000;
/** @type {WeakMap<calICalendar, number>} when the views last re-read a calendar */
const viewsCaughtUp = new WeakMap();

/**
 * Rows reach no observer, so the open views (and the Today pane, the task list) are asked to
 * read the calendar again (askViewsToReload): after the first block of rows, then at most every
 * VIEWS_CATCH_UP_MS while a long sync goes on, and at its end.
 * @param {calICalendar} calendar
 * @param {boolean} last - the block that stores the sync's version
 */
function viewsCatchUp(calendar, last) {
  const now = Date.now();
  if (last || now - (viewsCaughtUp.get(calendar) ?? 0) >= VIEWS_CATCH_UP_MS) {
    viewsCaughtUp.set(calendar, now);
    askViewsToReload(calendar);
  }
}

/** Our blocks, one at a time over every cached calendar: they all share one connection. */
let transactionTail = Promise.resolve();

/**
 * Runs `work` inside one SQLite transaction on the cache connection (docs/thunderbird-cached-calendar.md,
 * "Storage performance" and "The shared cache connection"): mozStorage then runs each adoptItem's
 * statements inside it instead of one transaction per item. Workarounds, as Thunderbird gives no
 * write-batch API:
 * - the connection is `storage.wrappedJSObject.db`, a JS getter in no IDL; without it (or when
 *   no BEGIN succeeds) the block is stored the slow way, one transaction per item;
 * - every cached calendar shares that connection: our own blocks queue here, and a BEGIN that
 *   fails because Thunderbird has a batch of another calendar in flight is retried after it;
 * - never rolled back (another calendar's writes may have joined): committed in a finally; the
 *   version stored in the same transaction makes a cut block redo cleanly.
 * @template T
 * @param {calISyncWriteCalendar} storage
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
function cacheTransaction(storage, work) {
  const run = transactionTail.then(() => inTransaction(storage, work));
  transactionTail = run.catch(() => {});
  return run;
}

const BEGIN_ATTEMPTS = 50;
const BEGIN_RETRY_MS = 20;

async function inTransaction(storage, work) {
  let db = null;
  try {
    db = storage.wrappedJSObject?.db || null;
  } catch (e) {
    db = null;
  }
  let began = false;
  for (let attempt = 0; db && typeof db.beginTransaction == "function" && !began && attempt < BEGIN_ATTEMPTS; attempt++) {
    try {
      if (!db.transactionInProgress) {
        db.beginTransaction();
        began = true;
      }
    } catch (e) {
      // Another calendar's batch holds the connection: retry once it is done.
    }
    if (!began) {
      await new Promise((resolve) => setTimeout(resolve, BEGIN_RETRY_MS));
    }
  }
  try {
    return await work();
  } finally {
    if (began) {
      try {
        db.commitTransaction();
      } catch (e) {
        console.error("[bluemind-calendar-sync] cache commit", e);
      }
    }
  }
}
