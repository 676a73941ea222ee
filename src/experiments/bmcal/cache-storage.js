/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * A cached calendar's storage as the background reaches it, loaded by parent.js into
 * provider.js's scope. Why a file of its own: Thunderbird keeps a cached calendar in a storage
 * calendar (the provider's offlineStorage) that only the provider can reach, so everything the
 * background asks of a cache goes through here: what it holds (cacheState: the last complete
 * sync and the unsent offline edits; cacheIndex: the BlueMind versions stored), and the sync's
 * blocks written into it (applyCacheChanges, which queues them for cache-writes.js). Our rows
 * sit in the storage's metadata: one per item (its BlueMind item uid and version,
 * BmCachePlan.metaRow), and the sync's own (VERSION_KEY and the two stored with it).
 */

// @ts-check
"use strict";

/* global Ci, BmCachePlan, parseBlock, writeBlock, endsSync, keepItipChoices, serverSends, rowModel, usableRows, fallbackIcs, setTimeout */
/* exported VERSION_KEY, providerOf, readMeta, offlineFlaggedIds, cacheState, storageState, storedVersion, cacheIndex, applyCacheChanges, syncStoring, whenSyncStored */

const VERSION_KEY = "bluemind:version";
/** Stored with the version: when that sync started, and the user's mailboxCopyGuid then (JSON). */
const SYNCED_AT_KEY = "bluemind:syncedAt";
const MAILBOX_GUID_KEY = "bluemind:mailboxCopyGuid";

/** @param {calISyncWriteCalendar} storage */
function readMeta(storage, id) {
  try {
    const raw = storage.getMetaData(id);
    return raw ? JSON.parse(raw) : null;
  } catch (e) {
    return null;
  }
}

/**
 * Our provider's own object behind a cached calendar: Thunderbird's calCachedCalendar wraps it
 * (its "cache.uncachedCalendar"). Null for a calendar Thunderbird does not cache.
 * @param {calICalendar} calendar
 * @returns {any}
 */
function providerOf(calendar) {
  return calendar.getProperty("cache.uncachedCalendar")?.wrappedJSObject || null;
}

/**
 * The storage calendar behind a cached calendar (our provider's offlineStorage), or null.
 * @param {calICalendar} calendar
 * @returns {calIOfflineStorage | null}
 */
function storageOf(calendar) {
  return providerOf(calendar)?.mOfflineStorage || null;
}

/**
 * Ids of the items holding an unsent offline change (the storage answers one flag per query).
 * @param {calIOfflineStorage} storage
 * @returns {Promise<Set<string>>}
 */
async function offlineFlaggedIds(storage) {
  const ids = new Set();
  for (const flag of [
    Ci.calICalendar.ITEM_FILTER_OFFLINE_CREATED,
    Ci.calICalendar.ITEM_FILTER_OFFLINE_MODIFIED,
    Ci.calICalendar.ITEM_FILTER_OFFLINE_DELETED,
  ]) {
    for (const item of await storage.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS | flag, 0, null, null)) {
      ids.add(item.id);
    }
  }
  return ids;
}

/**
 * Version of the last complete sync stored in this cache, and the count of unsent offline edits.
 * @param {calICalendar} calendar
 */
function cacheState(calendar) {
  return storageState(storageOf(calendar));
}

/**
 * The BlueMind version of the cache's last complete sync, or null: one metadata read.
 * @param {calIOfflineStorage | null} storage
 * @returns {number | null}
 */
function storedVersion(storage) {
  const version = storage?.getMetaData(VERSION_KEY);
  return version ? Number(version) : null;
}

/**
 * @param {calIOfflineStorage | null} storage
 * @returns {Promise<CacheState>}
 */
async function storageState(storage) {
  if (!storage) {
    return { version: null, pending: 0 };
  }
  const pending = (await offlineFlaggedIds(storage)).size;
  const syncedAt = storage.getMetaData(SYNCED_AT_KEY);
  const state = { version: storedVersion(storage), pending, syncedAt: syncedAt ? Number(syncedAt) : null };
  const guid = storage.getMetaData(MAILBOX_GUID_KEY);
  if (guid) {
    state.mailboxCopyGuid = JSON.parse(guid);
  }
  return state;
}

/**
 * BlueMind item uid -> the version stored with it, for a full reconciliation; -1 when the
 * stored copy is Thunderbird's own (an offline edit replayed: BlueMind's was never stored).
 * @param {calICalendar} calendar
 * @returns {Record<string, number>}
 */
function cacheIndex(calendar) {
  const storage = storageOf(calendar);
  if (!storage) {
    throw new Error(`${calendar.name} is not cached`);
  }
  const { byId, idByItemUid } = BmCachePlan.indexFromMeta(storage.getAllMetaDataIds(), storage.getAllMetaDataValues());
  /** @type {Record<string, number>} */
  const index = {};
  for (const [itemUid, id] of idByItemUid) {
    // Every id of idByItemUid has its row in byId: a version, never undefined.
    index[itemUid] = /** @type {number} */ (BmCachePlan.indexVersion(byId.get(id)));
  }
  return index;
}

/**
 * Per cache storage: the chain of pending writes, the first error it met, and whether a sync is
 * storing its blocks (`open`: a block came and the sync's last has not; `lastBlockAt`).
 * @type {WeakMap<calISyncWriteCalendar, { tail: Promise<void>, error: any, stopped: boolean, open: boolean, lastBlockAt: number }>}
 */
const writeQueues = new WeakMap();

/** A sync that sent no block for this long is no longer waited for (see whenSyncStored). */
const SYNC_QUIET_MS = 15000;
const SYNC_POLL_MS = 250;

/**
 * Whether a sync is storing its blocks in this storage.
 * @param {calISyncWriteCalendar} storage
 */
function syncStoring(storage) {
  const queue = writeQueues.get(storage);
  return !!queue?.open && Date.now() - queue.lastBlockAt < SYNC_QUIET_MS;
}

/**
 * Resolves once the sync storing its blocks in this storage (if any) has stored its last, or
 * has sent no block for SYNC_QUIET_MS (a sync cut by the network never sends its last).
 * @param {calISyncWriteCalendar} storage
 * @returns {Promise<void>}
 */
async function whenSyncStored(storage) {
  while (syncStoring(storage)) {
    await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
  }
}

/**
 * Writes server changes into the cache: upserts (one VCALENDAR per block, with the BlueMind
 * item uid and version of each UID), deletions by BlueMind item uid, then — only once
 * everything before it is stored — the new changeset version. Blocks are parsed as they
 * arrive and stored one after another; a call that only upserts returns once its block is
 * queued behind at most one block being stored; the call carrying deletions or the version
 * waits until everything is stored.
 * Items holding an unsent offline edit are left alone: the edit is pushed first, and the
 * next sync brings the server copy. Parsing and storing are in cache-writes.js (parseBlock,
 * writeBlock), the rules in BmCachePlan (src/sync/cache-plan.ts).
 * @param {calICalendar} calendar
 * @param {CacheChanges} changes
 * @returns {Promise<ApplyOutcome>}
 */
async function applyCacheChanges(calendar, changes) {
  const storage = storageOf(calendar);
  if (!storage) {
    throw new Error(`${calendar.name} is not cached`);
  }
  let queue = writeQueues.get(storage);
  if (!queue) {
    queue = { tail: Promise.resolve(), error: null, stopped: false, open: false, lastBlockAt: 0 };
    writeQueues.set(storage, queue);
  }
  const final = endsSync(changes);
  queue.lastBlockAt = Date.now();
  if (!final) {
    queue.open = true;
  }
  // The simple events the background sent as storage rows (direct-rows.js): inserted as such
  // when this storage can take them, else parsed from their own text like the rest.
  /** @type {RowBlock | null} */
  const rowBlock = changes.rows ? JSON.parse(changes.rows) : null;
  const model = rowBlock ? rowModel(storage) : null;
  const meetingsAsRows = serverSends(providerOf(calendar) || calendar);
  const { usable, others } = model && rowBlock ? usableRows(rowBlock.items, meetingsAsRows) : { usable: [], others: rowBlock?.items || [] };
  const items = [...(await parseBlock(changes.ics)), ...(rowBlock ? await parseBlock(fallbackIcs(rowBlock, others)) : [])];
  await keepItipChoices(calendar, storage, items);
  const rows = model && usable.length ? { model, items: usable } : null;
  const previous = queue.tail;
  queue.tail = previous.then(async () => {
    if (!queue.error && !queue.stopped) {
      try {
        queue.stopped = (await writeBlock(calendar, storage, items, changes, rows)) == "offline";
      } catch (e) {
        queue.error = e;
      }
    }
  });
  // Back-pressure: at most one block waits while another is stored, so parsed events do not
  // pile up in memory (and slow every write with garbage collection) during a long first sync.
  await (final ? queue.tail : previous);
  if (final || queue.error || queue.stopped) {
    await queue.tail;
    const { error, stopped } = queue;
    queue.error = null;
    queue.stopped = false;
    queue.open = false; // the sync's last block, or the sync stops here
    if (error) {
      throw error;
    }
    if (stopped) {
      /** @type {ApplyOutcome} */
      const outcome = { stored: false, stopped: "offline" };
      return outcome;
    }
  }
  return { stored: true };
}
