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
 * - large blocks are parsed synchronously in small pieces (parseBlock).
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, BmCachePlan, BmIcsBlocks, parseIcs, offlineFlaggedIds */
/* exported parseBlock, writeBlock */

// @ts-expect-error TS2300: the DOM library (tsconfig.experiment.json) has a setTimeout too; this is Timer.sys.mjs's.
var { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");

/** Blocks at least this large read the whole metadata index (see storedIndexFor). */
const INDEX_BLOCK_SIZE = 100;
/** iCalendar text longer than this (about 100 events) is parsed in pieces (see parseBlock). */
const SPLIT_PARSE_MIN_CHARS = 50000;
const PARSE_PIECE_ITEMS = 100;

/**
 * A block from BlueMind, parsed synchronously in pieces of PARSE_PIECE_ITEMS items with a
 * yield between (the previous block is stored meanwhile): measured cheaper than Thunderbird's
 * worker, which costs more main-thread time to hand the events back (see README, Benchmark).
 * @param {string | null | undefined} ics
 * @returns {Promise<calIItemBase[]>}
 */
async function parseBlock(ics) {
  if (!ics) {
    return [];
  }
  if (ics.length <= SPLIT_PARSE_MIN_CHARS) {
    return parseIcs(ics);
  }
  const items = [];
  for (const piece of BmIcsBlocks.splitIcs(ics, PARSE_PIECE_ITEMS)) {
    if (items.length) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    items.push(...parseIcs(piece));
  }
  return items;
}

/**
 * The stored items the plan looks at: all of our metadata, or only the block's ids (small blocks).
 * @param {calISyncWriteCalendar} storage
 * @param {calIItemBase[]} items
 * @param {CacheChanges} changes
 */
function storedIndexFor(storage, items, changes) {
  const needIndex =
    (changes.deletes && changes.deletes.length) ||
    changes.keepOnly ||
    items.length >= INDEX_BLOCK_SIZE ||
    Object.keys(changes.expect || {}).length;
  if (needIndex) {
    return BmCachePlan.indexFromMeta(storage.getAllMetaDataIds(), storage.getAllMetaDataValues());
  }
  const ids = [...new Set(items.map((item) => item.id))];
  const values = ids.map((id) => {
    try {
      return storage.getMetaData(id) || "";
    } catch (e) {
      return "";
    }
  });
  // idByItemUid stays empty: a small incremental upsert does not look for moved UIDs.
  return { byId: BmCachePlan.indexFromMeta(ids, values).byId, idByItemUid: new Map() };
}

/**
 * Stores one block as BmCachePlan (src/sync/cache-plan.ts, the cache's rules) plans it: all its
 * writes issued at once and awaited together, inside one transaction on the cache connection
 * (cacheTransaction), the version's rows last in the same transaction. Thunderbird's views and
 * alarms hear it through the cache observer, left attached, inside startBatch()/endBatch(): the
 * alarm service then re-reads alarms once at onEndBatch instead of at every onAddItem.
 * Resolves with "stored", or "offline" when Thunderbird went offline and the sync must stop.
 * @param {calICalendar} calendar
 * @param {calIOfflineStorage} storage
 * @param {calIItemBase[]} items
 * @param {CacheChanges} changes
 */
async function writeBlock(calendar, storage, items, changes) {
  const flagged = await offlineFlaggedIds(storage);
  const plan = BmCachePlan.planBlock({
    items: items.map((item) => ({ id: item.id, itemUid: changes.meta?.[item.id]?.itemUid, version: changes.meta?.[item.id]?.version })),
    stored: storedIndexFor(storage, items, changes),
    flagged,
    online: !Services.io.offline,
    deletes: changes.deletes,
    keepOnly: changes.keepOnly,
    expect: changes.expect,
    version: changes.version,
    syncedAt: changes.syncedAt,
    mailboxCopyGuid: changes.mailboxCopyGuid,
  });
  if (plan.stop) {
    // Gone offline mid-sync: the user may now edit offline; nothing read before is stored.
    return "offline";
  }
  if (!plan.writes.length && !plan.removals.length && !plan.version) {
    return "stored";
  }
  /** The last copy of each id, as the plan chose it. */
  const itemById = new Map(items.map((item) => [item.id, item]));
  let wentOffline = false;
  // The batch ends after the commit: the alarm service reads the calendar again at onEndBatch.
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
      const writes = plan.writes.map(async (write) => {
        const item = /** @type {calIItemBase} */ (itemById.get(write.id)); // the plan writes the block's ids only
        item.calendar = calendar.superCalendar;
        await storage.adoptItem(item); // relaxed mode: replaces an existing copy
        storage.setMetaData(write.id, write.meta);
      });
      // Every write settles before the version, and before the commit: none stays in flight.
      const failed = (await Promise.allSettled([...removals, ...writes])).find((result) => result.status == "rejected");
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
    });
  } finally {
    storage.endBatch();
  }
  return wentOffline ? "offline" : "stored";
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
