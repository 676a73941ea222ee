/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The "bluemind" calendar provider: one class for both modes, loaded by parent.js; a BlueMind
 * todo list is a calendar of this provider too, holding tasks only (see capabilities).
 * - Cached (Synchronisation on): Thunderbird's calCachedCalendar wraps it and reads from its
 *   own storage. refresh() asks the background to sync; the background writes server changes
 *   into that storage through applyCacheChanges(). Edits go to the background, which writes
 *   them to BlueMind; offline edits are kept and replayed by Thunderbird itself.
 * - Online-only (Synchronisation off): getItems() asks the background for the range (BlueMind
 *   `_search`); nothing is persisted, and offline the calendar shows as unavailable.
 * Everything crosses to the background as iCalendar strings, keyed by the calendar URI.
 * Three calCachedCalendar quirks are handled (docs/thunderbird-cached-calendar.md, "Bugs and
 * workarounds", which also explains keepJournalFresh and onePlaybackAtATime below): hooks are
 * always called, the modify hook is cleared here, and syncing happens inside refresh().
 */

"use strict";

/* global ChromeUtils, Services, Cc, Ci, Cr, Components, BmCachePlan, LiveItems, parseBlock, writeBlock, serverSends, schedulingProperty, keepItipState, keepItipChoices, markItipDefault */
/* exported createBlueMindProvider, applyCacheChanges, cacheState, parseIcs, storageOf, connectionChanged */

var { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
var { CalReadableStreamFactory } = ChromeUtils.importESModule("resource:///modules/CalReadableStreamFactory.sys.mjs");

const VERSION_KEY = "bluemind:version";
/** Stored with the version: when that sync started, and the user's mailboxCopyGuid then (JSON). */
const SYNCED_AT_KEY = "bluemind:syncedAt";
const MAILBOX_GUID_KEY = "bluemind:mailboxCopyGuid";
/* exported cacheIndex */
/** Network-class status: calCachedCalendar keeps the change offline and replays it later. */
const UNAVAILABLE = Cr.NS_ERROR_OFFLINE;
const QUERY_CACHE_MS = 5000;

function parseIcs(ics) {
  const parser = Cc["@mozilla.org/calendar/ics-parser;1"].createInstance(Ci.calIIcsParser);
  parser.parseString(ics);
  return parser.getItems();
}

/** The whole series as iCalendar; an edited occurrence is folded into its parent first. */
function serializeItem(item) {
  let parent = item.parentItem;
  if (parent != item) {
    parent = parent.clone();
    parent.recurrenceInfo.modifyException(item, true);
  }
  const serializer = Cc["@mozilla.org/calendar/ics-serializer;1"].createInstance(Ci.calIIcsSerializer);
  serializer.addItems([parent]);
  return serializer.serializeToString();
}

/** Every provider instance, weakly: the online-only ones follow the connection (live-view.js). */
const providers = new Set();

/** Thunderbird went offline or back online: online-only calendars tell their views. */
function connectionChanged(offline) {
  for (const ref of [...providers]) {
    const provider = ref.deref();
    if (provider) {
      provider.connectionChanged(offline);
    } else {
      providers.delete(ref);
    }
  }
}

function rangeKey(rangeStart, rangeEnd) {
  const start = rangeStart ? cal.dtz.toRFC3339(rangeStart) : null;
  const end = rangeEnd ? cal.dtz.toRFC3339(rangeEnd) : null;
  return `${start}|${end}`;
}

function readMeta(storage, id) {
  try {
    const raw = storage.getMetaData(id);
    return raw ? JSON.parse(raw) : null;
  } catch (e) {
    return null;
  }
}

/** The storage calendar behind a cached calendar (our provider's offlineStorage), or null. */
function storageOf(calendar) {
  const provider = calendar.getProperty("cache.uncachedCalendar")?.wrappedJSObject;
  return provider?.mOfflineStorage || null;
}

/** Ids of the items holding an unsent offline change (the storage answers one flag per query). */
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

/** Storages already given keepJournalFresh(). */
const freshJournals = new WeakSet();

/**
 * Works around a Thunderbird bug (140 and 153 ESR): the storage keeps recurring items, with
 * their offline-journal flags, in a cache built once, and never updates those flags (its
 * refresh checks `mRecItemCachePromise`, which nothing sets). A recurring event created,
 * modified or deleted offline is then missing from the journal queries: Thunderbird never
 * replays it, our sync overwrites it, and one deleted offline stays visible; a flag cleared by
 * the replay stays set, so the item is replayed again and again. So after every journal
 * change, the cached flag is set to the one in the database.
 */
function keepJournalFresh(storage) {
  const target = storage.wrappedJSObject || storage;
  if (freshJournals.has(target)) {
    return;
  }
  freshJournals.add(target);
  for (const name of ["addOfflineItem", "modifyOfflineItem", "deleteOfflineItem", "resetItemOfflineFlag"]) {
    const change = target[name];
    target[name] = async function (item, ...rest) {
      try {
        return await change.call(this, item, ...rest);
      } finally {
        await refreshCachedFlag(this, item).catch((e) => console.error("[bluemind-calendar-sync] journal flag", e));
      }
    };
  }
}

async function refreshCachedFlag(storage, item) {
  const model = storage.mItemModel;
  if (!item) {
    return;
  }
  const maps = item.isEvent() ? model?.getFullRecurringEventAndFlagMaps : model?.getFullRecurringTodoAndFlagMaps;
  if (typeof maps != "function") {
    return;
  }
  await storage.getItem(item.id); // waits until the caches are built: then the maps are final
  const [, flags] = await maps.call(model);
  const flag = await storage.getItemOfflineFlag(item);
  if (flag) {
    flags.set(item.id, flag);
  } else {
    flags.delete(item.id);
  }
}

/** Cached calendars already given onePlaybackAtATime(). */
const singlePlaybacks = new WeakSet();

/**
 * Thunderbird replays the offline journal at the start of every refresh of a cached calendar,
 * and nothing stops two replays from running at once: back online, its own refresh and the
 * one our background starts ("online" event, "Synchroniser maintenant", the poller) both send
 * every journal item, and the second copy of an edit then looks like a conflict with the
 * first. So a replay asked for while one runs waits for that one instead.
 */
function onePlaybackAtATime(cachedCalendar) {
  const target = cachedCalendar?.wrappedJSObject;
  if (!target || typeof target.playbackOfflineItems != "function" || singlePlaybacks.has(target)) {
    return;
  }
  singlePlaybacks.add(target);
  const playback = target.playbackOfflineItems;
  let running = null;
  target.playbackOfflineItems = function (type) {
    if (type) {
      return playback.call(this, type); // the next step (modified, deleted) of the running replay
    }
    running ??= playback.call(this).finally(() => {
      running = null;
    });
    return running;
  };
}

/** Version of the last complete sync stored in this cache, and the count of unsent offline edits. */
function cacheState(calendar) {
  return storageState(storageOf(calendar));
}

/** @returns {Promise<import("../../thunderbird/provider-contract").CacheState>} */
async function storageState(storage) {
  if (!storage) {
    return { version: null, pending: 0 };
  }
  const version = storage.getMetaData(VERSION_KEY);
  const pending = (await offlineFlaggedIds(storage)).size;
  const syncedAt = storage.getMetaData(SYNCED_AT_KEY);
  const state = { version: version ? Number(version) : null, pending, syncedAt: syncedAt ? Number(syncedAt) : null };
  const guid = storage.getMetaData(MAILBOX_GUID_KEY);
  if (guid) {
    state.mailboxCopyGuid = JSON.parse(guid);
  }
  return state;
}

/**
 * BlueMind item uid -> the version stored with it, for a full reconciliation; -1 when the
 * stored copy is Thunderbird's own (an offline edit replayed: BlueMind's was never stored).
 */
function cacheIndex(calendar) {
  const storage = storageOf(calendar);
  if (!storage) {
    throw new Error(`${calendar.name} is not cached`);
  }
  const { byId, idByItemUid } = BmCachePlan.indexFromMeta(storage.getAllMetaDataIds(), storage.getAllMetaDataValues());
  const index = {};
  for (const [itemUid, id] of idByItemUid) {
    index[itemUid] = BmCachePlan.indexVersion(byId.get(id));
  }
  return index;
}

/** Per cache storage: the chain of pending writes, and the first error it met. */
const writeQueues = new WeakMap();

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
 */
async function applyCacheChanges(calendar, changes) {
  const storage = storageOf(calendar);
  if (!storage) {
    throw new Error(`${calendar.name} is not cached`);
  }
  let queue = writeQueues.get(storage);
  if (!queue) {
    queue = { tail: Promise.resolve(), error: null, stopped: false };
    writeQueues.set(storage, queue);
  }
  const items = await parseBlock(changes.ics);
  await keepItipChoices(calendar, storage, items);
  const previous = queue.tail;
  queue.tail = previous.then(async () => {
    if (!queue.error && !queue.stopped) {
      try {
        queue.stopped = (await writeBlock(calendar, storage, items, changes)) == "offline";
      } catch (e) {
        queue.error = e;
      }
    }
  });
  const final = changes.version != null || (changes.deletes && changes.deletes.length) || changes.keepOnly;
  // Back-pressure: at most one block waits while another is stored, so parsed events do not
  // pile up in memory (and slow every write with garbage collection) during a long first sync.
  await (final ? queue.tail : previous);
  if (final || queue.error || queue.stopped) {
    await queue.tail;
    const { error, stopped } = queue;
    queue.error = null;
    queue.stopped = false;
    if (error) {
      throw error;
    }
    if (stopped) {
      /** @type {import("../../thunderbird/provider-contract").ApplyOutcome} */
      const outcome = { stored: false, stopped: "offline" };
      return outcome;
    }
  }
  return { stored: true };
}

/**
 * @param {object} hooks - {extensionId(), request(kind, calendarInfo, payload) -> Promise<object>}
 */
function createBlueMindProvider(hooks) {
  return class BlueMindCalendar extends cal.provider.BaseClass {
    QueryInterface = ChromeUtils.generateQI(["calICalendar", "calIChangeLog", "calISchedulingSupport"]);

    constructor() {
      super();
      this.initProviderBase();
      // What Thunderbird may put here (calItemUtils.isEventCalendar / isTaskCalendar): BlueMind
      // keeps events (VEventSeries) and tasks (VTodo) in different containers, told apart by the
      // URI. Read live from the URI, never persisted (not enumerable: the id setter skips them).
      for (const [name, tasks] of [
        ["capabilities.tasks.supported", true],
        ["capabilities.events.supported", false],
      ]) {
        Object.defineProperty(this.mProperties, name, {
          get: () => this.holdsTasks == tasks,
          set() {},
          configurable: true,
          enumerable: false,
        });
      }
      this.mOfflineStorage = null;
      this.mSyncPromise = null;
      this.mQueryCache = new Map();
      this.mItemUids = new Map();
      /** Online-only: what the views were given, so they can follow the connection and BlueMind. */
      this.mLive = new LiveItems(serializeItem);
      providers.add(new WeakRef(this));
    }

    get type() {
      return "bluemind";
    }

    get providerID() {
      return hooks.extensionId();
    }

    get canRefresh() {
      return true;
    }

    /** A BlueMind todo list (`…/api/todolist/<uid>`): it holds tasks only; a calendar holds events only. */
    get holdsTasks() {
      return /\/api\/todolist\/[^/]+$/.test(this.uri?.spec ?? "");
    }

    get supportsScheduling() {
      return true;
    }

    getSchedulingSupport() {
      return this;
    }

    // Exactly one party sends each iMIP message (scheduling.js): BlueMind for meetings in
    // their owner's default calendar, Thunderbird, through the user's identity, elsewhere.
    canNotify() {
      return serverSends(this);
    }

    // organizerId/organizerCN (the calendar owner) and the mail identity (the user's).
    getProperty(name) {
      const scheduling = schedulingProperty(this, name, (n) => super.getProperty(n));
      return scheduling === undefined ? super.getProperty(name) : scheduling;
    }

    get info() {
      /** @type {import("../../thunderbird/provider-contract").CalendarRef} */
      const ref = { uri: this.uri.spec, name: this.name };
      return ref;
    }

    // calIChangeLog: makes calCachedCalendar use its change-log path.
    get offlineStorage() {
      return this.mOfflineStorage;
    }

    set offlineStorage(storage) {
      if (storage) {
        keepJournalFresh(storage);
        onePlaybackAtATime(this.superCalendar);
      }
      this.mOfflineStorage = storage;
    }

    resetLog() {
      this.mOfflineStorage?.deleteMetaData(VERSION_KEY);
    }

    replayChangesOn(listener) {
      // The sync already ran inside refresh(); report its outcome.
      const done = (status) => listener?.onResult({ status }, null);
      (this.mSyncPromise || Promise.resolve(true)).then(
        () => done(Cr.NS_OK),
        () => done(Cr.NS_OK),
      );
    }

    refresh() {
      this.mQueryCache.clear();
      if (!this.mOfflineStorage) {
        // Not onLoad: the views would ignore it and the minimonth would count every dot twice.
        this.reloadShown();
        return;
      }
      if (Services.io.offline) {
        return;
      }
      if (this.mSyncPromise) {
        // Asked while a sync runs, which may have read BlueMind before the change that prompted
        // this refresh: one more sync once it ends (however many refreshes come meanwhile).
        this.mSyncAgain = true;
        return;
      }
      this.mSyncPromise = (async () => {
        do {
          this.mSyncAgain = false;
          await this.syncNow();
        } while (this.mSyncAgain && !Services.io.offline);
      })().finally(() => {
        this.mSyncPromise = null;
      });
    }

    /** Resolves when the running sync (if any) is over. */
    whenSynced() {
      return this.mSyncPromise || Promise.resolve();
    }

    async syncNow() {
      // What the cache holds goes with the request, so the background need not ask it back.
      const result = await hooks.request("sync", this.info, await storageState(this.mOfflineStorage));
      if (result?.error) {
        this.notifyError(result.error == "network" ? UNAVAILABLE : Cr.NS_ERROR_FAILURE, result.message || "");
        return;
      }
      this.setProperty("currentStatus", Cr.NS_OK);
      this.mObservers.notify("onLoad", [this]);
    }

    // ---- online-only: the views follow the connection and BlueMind (live-view.js)

    connectionChanged(offline) {
      if (this.mOfflineStorage) {
        return; // the cache stays readable offline; Thunderbird's wrapper handles the rest
      }
      this.mQueryCache.clear();
      if (offline) {
        for (const item of this.mLive.withdrawAll()) {
          this.mObservers.notify("onDeleteItem", [item]);
        }
        this.setProperty("currentStatus", Cr.NS_ERROR_OFFLINE);
      } else {
        this.reloadShown();
      }
    }

    /** Reads the ranges on screen again and tells the views what appeared, changed or went away. */
    async reloadShown() {
      const ranges = this.mLive.rangesToReload();
      if (Services.io.offline || !ranges.length) {
        return;
      }
      try {
        const fresh = new Map();
        for (const { start, end } of ranges) {
          const memory = await this.queryRange(start, end);
          for (const item of await memory.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, start, end)) {
            fresh.set(item.id, item);
          }
        }
        if (Services.io.offline) {
          return;
        }
        const { added, modified, deleted } = this.mLive.diff([...fresh.values()]);
        for (const item of deleted) {
          this.mObservers.notify("onDeleteItem", [item]);
        }
        for (const [newItem, oldItem] of modified) {
          this.mObservers.notify("onModifyItem", [newItem, oldItem]);
        }
        for (const item of added) {
          this.mObservers.notify("onAddItem", [item]);
        }
      } catch (e) {
        this.notifyError(e.result || Cr.NS_ERROR_FAILURE, e.message || String(e));
      }
    }

    // ---- reads (online-only mode; in cached mode the wrapper reads its storage)

    getItems(filter, count, rangeStart, rangeEnd) {
      if (this.mOfflineStorage) {
        return this.mOfflineStorage.getItems(filter, count, rangeStart, rangeEnd);
      }
      const wanted = this.holdsTasks ? Ci.calICalendar.ITEM_FILTER_TYPE_TODO : Ci.calICalendar.ITEM_FILTER_TYPE_EVENT;
      if (!(filter & wanted)) {
        // The Tasks tab asks every calendar for tasks, with no date range; an online-only
        // calendar of events has none, and must not read all its events from BlueMind to say so.
        return CalReadableStreamFactory.createEmptyReadableStream();
      }
      if (Services.io.offline) {
        this.notifyError(Cr.NS_ERROR_OFFLINE, "offline");
        return CalReadableStreamFactory.createEmptyReadableStream();
      }
      const self = this;
      const start = rangeStart?.clone() ?? null;
      const end = rangeEnd?.clone() ?? null;
      return CalReadableStreamFactory.createReadableStream({
        async start(controller) {
          try {
            const memory = await self.queryRange(start, end);
            self.mLive.rememberRange(rangeKey(start, end), start, end);
            for await (const chunk of cal.iterate.streamValues(memory.getItems(filter, count, start, end))) {
              self.mLive.served(chunk);
              controller.enqueue(chunk);
            }
          } catch (e) {
            // Never error the stream: it would break Thunderbird's composite queries.
            self.notifyError(e.result || Cr.NS_ERROR_FAILURE, e.message || String(e));
          }
          controller.close();
        },
      });
    }

    async getItem(id) {
      if (this.mOfflineStorage) {
        return this.mOfflineStorage.getItem(id);
      }
      const memory = await this.queryRange(null, null);
      return memory.getItem(id);
    }

    /** One background round trip per range, shared by the calls Thunderbird makes in a burst. */
    queryRange(rangeStart, rangeEnd) {
      const start = rangeStart ? cal.dtz.toRFC3339(rangeStart) : null;
      const end = rangeEnd ? cal.dtz.toRFC3339(rangeEnd) : null;
      const key = rangeKey(rangeStart, rangeEnd);
      const cached = this.mQueryCache.get(key);
      if (cached && Date.now() - cached.time < QUERY_CACHE_MS) {
        return cached.promise;
      }
      const promise = hooks.request("query", this.info, { start, end }).then((result) => {
        if (!result || result.error) {
          throw Components.Exception(result?.message || "query failed", result?.error == "network" ? UNAVAILABLE : Cr.NS_ERROR_FAILURE);
        }
        this.setProperty("currentStatus", Cr.NS_OK);
        const memory = Cc["@mozilla.org/calendar/calendar;1?type=memory"].createInstance(Ci.calISyncWriteCalendar);
        memory.superCalendar = this;
        const adopted = [];
        for (const item of result.ics ? parseIcs(result.ics) : []) {
          const meta = result.meta?.[item.id];
          if (meta) {
            this.mItemUids.set(item.id, meta);
          }
          item.calendar = this.superCalendar;
          markItipDefault(this, item);
          adopted.push(memory.adoptItem(item));
        }
        return Promise.all(adopted).then(() => memory);
      });
      this.mQueryCache.set(key, { time: Date.now(), promise });
      promise.catch(() => this.mQueryCache.delete(key));
      return promise;
    }

    // ---- writes

    /** BlueMind item uid and version known for a Thunderbird item id. */
    knownItem(id) {
      if (this.mOfflineStorage) {
        const meta = readMeta(this.mOfflineStorage, id);
        return meta ? { itemUid: meta.u, version: meta.v } : null;
      }
      return this.mItemUids.get(id) || null;
    }

    /** `replayed`: an offline edit sent; Thunderbird keeps its own copy, not the server's ("r"). */
    remember(id, itemUid, version, replayed) {
      if (this.mOfflineStorage) {
        this.mOfflineStorage.setMetaData(id, BmCachePlan.metaRow(itemUid, version, replayed));
      } else {
        this.mItemUids.set(id, { itemUid, version });
      }
    }

    /** Sends one change to the background; resolves with the server's copy, or throws. */
    async write(op, item, offlineReplay) {
      const known = this.knownItem(item.id);
      const result = await hooks.request("write", this.info, {
        op,
        id: item.id,
        ics: op == "delete" ? null : serializeItem(item),
        itemUid: known?.itemUid ?? null,
        version: known?.version ?? null,
      });
      if (!result || result.error) {
        const status = result?.error == "network" ? UNAVAILABLE : Ci.calIErrors.MODIFICATION_FAILED;
        throw Components.Exception(result?.message || "BlueMind refused the change", status);
      }
      this.mQueryCache.clear();
      if (op == "delete") {
        return null;
      }
      this.remember(item.id, result.itemUid, result.version, !!offlineReplay);
      const [serverItem] = result.ics ? parseIcs(result.ics) : [];
      if (serverItem) {
        serverItem.calendar = this.superCalendar;
        keepItipState(item, serverItem);
      }
      return serverItem || item;
    }

    /**
     * A refused write from the user's own action (online-only calendar) gets Thunderbird's
     * error window; in a cached calendar this is the replay of an offline edit, which
     * Thunderbird keeps and retries: it is reported without a window (the options page shows
     * it), so no modal prompt pops up in the background at every refresh.
     */
    reportWriteFailure(e) {
      const status = e.result || Cr.NS_ERROR_FAILURE;
      if (this.mOfflineStorage && status == Ci.calIErrors.MODIFICATION_FAILED) {
        this.notifyError(Cr.NS_ERROR_FAILURE, e.message);
      } else {
        this.notifyError(status, e.message);
      }
    }

    /** The user's own edit, refused by BlueMind (not merely unsent): Thunderbird's error window says why. */
    reportRefusal(e) {
      if (e.result != UNAVAILABLE) {
        this.notifyError(Ci.calIErrors.MODIFICATION_FAILED, e.message);
      }
    }

    addItem(item) {
      return this.adoptItem(item.clone());
    }

    async adoptItem(item) {
      const hook = this._cachedAdoptItemCallback;
      this._cachedAdoptItemCallback = null;
      if (!item.id) {
        item.id = cal.getUUID();
      }
      try {
        const saved = await this.write("add", item, !hook && !!this.mOfflineStorage);
        if (hook) {
          await hook(this.superCalendar, Cr.NS_OK, Ci.calIOperationListener.ADD, saved.id, saved);
        } else if (!this.mOfflineStorage) {
          this.mObservers.notify("onAddItem", [saved]);
          this.mLive.served([saved]);
        }
        return saved;
      } catch (e) {
        if (hook) {
          // Rejecting while the hook is set would leave the caller waiting forever
          // (calCachedCalendar bug): report through the hook instead.
          await hook(this.superCalendar, e.result || Cr.NS_ERROR_FAILURE, Ci.calIOperationListener.ADD, item.id, e);
          this.reportRefusal(e);
          return item;
        }
        this.reportWriteFailure(e);
        throw e;
      }
    }

    async modifyItem(newItem, oldItem) {
      // calCachedCalendar never clears this hook itself (Thunderbird bug): clear it here.
      const hook = this._cachedModifyItemCallback;
      this._cachedModifyItemCallback = null;
      try {
        const saved = await this.write("modify", newItem, !hook && !!this.mOfflineStorage);
        if (hook) {
          await hook(this.superCalendar, Cr.NS_OK, Ci.calIOperationListener.MODIFY, saved.id, saved);
        } else if (!this.mOfflineStorage) {
          this.mObservers.notify("onModifyItem", [saved, oldItem]);
          this.mLive.forget(saved.id);
          this.mLive.served([saved]);
        }
        return saved;
      } catch (e) {
        if (hook) {
          await hook(this.superCalendar, e.result || Cr.NS_ERROR_FAILURE, Ci.calIOperationListener.MODIFY, newItem.id, e);
          this.reportRefusal(e);
          return newItem;
        }
        this.reportWriteFailure(e);
        throw e;
      }
    }

    async deleteItem(item) {
      try {
        await this.write("delete", item.parentItem, !!this.mOfflineStorage && Services.io.offline);
      } catch (e) {
        this.reportWriteFailure(e);
        throw e;
      }
      if (!this.mOfflineStorage) {
        this.mItemUids.delete(item.id);
        this.mLive.forget(item.parentItem.id);
        this.mObservers.notify("onDeleteItem", [item]);
      }
    }
  };
}
