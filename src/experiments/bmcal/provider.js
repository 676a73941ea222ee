/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The "bluemind" calendar provider: one class for both modes, loaded by parent.js; a BlueMind
 * todo list is a calendar of this provider too, holding tasks only (see capabilities).
 * - Cached (Synchronisation on): Thunderbird's calCachedCalendar wraps it and reads from its
 *   own storage. refresh() asks the background to sync; the background writes server changes
 *   into that storage through applyCacheChanges() (cache-storage.js). Edits go to the
 *   background, which writes them to BlueMind; offline edits are kept and replayed by
 *   Thunderbird itself.
 * - Online-only (Synchronisation off): getItems() asks the background for the range (BlueMind
 *   `_search`); nothing is persisted, and offline the calendar shows as unavailable.
 * Everything crosses to the background as iCalendar strings, keyed by the calendar URI.
 * The class is built in layers, one concern each: its identity and state (createProviderBase,
 * here), the reads (online-reads.js), the writes (item-writes.js), and on top the cached mode
 * (createBlueMindProvider, here), which uses them all.
 * Three calCachedCalendar quirks are handled (docs/thunderbird-cached-calendar.md, "Bugs and
 * workarounds", which also explains keepJournalFresh and onePlaybackAtATime, in
 * cache-workarounds.js): hooks are always called and the modify hook is cleared
 * (item-writes.js), and syncing happens inside refresh().
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, Cc, Ci, Cr, LiveItems, serverSends, schedulingProperty, VERSION_KEY, storageState, storedVersion, forgetStoredIndex, keepJournalFresh, onePlaybackAtATime, withOnlineReads, withItemWrites */
/* exported createBlueMindProvider, parseIcs, serializeItem, connectionChanged, UNAVAILABLE */

var { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");

/** Network-class status: calCachedCalendar keeps the change offline and replays it later. */
const UNAVAILABLE = Cr.NS_ERROR_OFFLINE;

/**
 * @param {string} ics
 * @returns {calIItemBase[]}
 */
function parseIcs(ics) {
  const parser = Cc["@mozilla.org/calendar/ics-parser;1"].createInstance(Ci.calIIcsParser);
  parser.parseString(ics);
  return parser.getItems();
}

/**
 * The whole series as iCalendar; an edited occurrence is folded into its parent first.
 * @param {calIItemBase} item
 */
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

/**
 * Thunderbird went offline or back online: online-only calendars tell their views.
 * @param {boolean} offline
 */
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

/** @typedef {InstanceType<ReturnType<typeof createProviderBase>>} BlueMindProviderBase */

/**
 * The provider's identity and state, the base the other layers build on.
 * @param {ProviderHooks} hooks - {extensionId(), request(kind, calendarInfo, payload) -> Promise<answer>}
 */
function createProviderBase(hooks) {
  return class BlueMindCalendarBase extends cal.provider.BaseClass {
    QueryInterface = ChromeUtils.generateQI(["calICalendar", "calIChangeLog", "calISchedulingSupport"]);

    constructor() {
      super();
      this.initProviderBase();
      // What Thunderbird may put here (calItemUtils.isEventCalendar / isTaskCalendar): BlueMind
      // keeps events (VEventSeries) and tasks (VTodo) in different containers, told apart by the
      // URI. Read live from the URI, never persisted (not enumerable: the id setter skips them).
      for (const [name, tasks] of /** @type {[string, boolean][]} */ ([
        ["capabilities.tasks.supported", true],
        ["capabilities.events.supported", false],
      ])) {
        Object.defineProperty(this.mProperties, name, {
          get: () => this.holdsTasks == tasks,
          set() {},
          configurable: true,
          enumerable: false,
        });
      }
      /** @type {calIOfflineStorage | null} */
      this.mOfflineStorage = null;
      /** @type {Promise<void> | null} */
      this.mSyncPromise = null;
      /** @type {Map<string, {time: number, promise: Promise<QueryAnswer>}>} */
      this.mQueryCache = new Map();
      /** Online-only: the series parsed so far (online-reads.js, HeldSeries); created at the first query. */
      this.mHeld = null;
      /** @type {Map<string, ItemMeta>} */
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
      /** @type {CalendarRef} */
      const ref = { uri: this.uri.spec, name: this.name };
      return ref;
    }
  };
}

/**
 * The provider class Thunderbird instantiates: the cached mode (calIChangeLog) on top of the
 * writes (item-writes.js), the reads (online-reads.js) and the base (createProviderBase).
 * @param {ProviderHooks} hooks - {extensionId(), request(kind, calendarInfo, payload) -> Promise<answer>}
 */
function createBlueMindProvider(hooks) {
  return class BlueMindCalendar extends withItemWrites(hooks, withOnlineReads(hooks, createProviderBase(hooks))) {
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
      forgetStoredIndex(this.mOfflineStorage);
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
        this.startAfreshIfFull();
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

    /**
     * What the cache holds: the last complete sync and the offline edits not sent yet (what a
     * sync request carries). The end-to-end tests and the benchmark read it here too, so they
     * never re-implement the provider's metadata.
     * @returns {Promise<CacheState>}
     */
    cacheState() {
      return storageState(this.mOfflineStorage);
    }

    /** The version of the last complete sync, or null: one metadata read (the benchmark polls it). */
    syncedVersion() {
      return storedVersion(this.mOfflineStorage);
    }

    /** Resolves when the running sync (if any) is over. */
    whenSynced() {
      return this.mSyncPromise || Promise.resolve();
    }

    async syncNow() {
      forgetStoredIndex(this.mOfflineStorage); // each sync plans from what the cache stores
      // What the cache holds goes with the request, so the background need not ask it back.
      const result = await hooks.request("sync", this.info, await this.cacheState());
      if (result?.error) {
        this.notifyError(result.error == "network" ? UNAVAILABLE : Cr.NS_ERROR_FAILURE, result.message || "");
        return;
      }
      this.setProperty("currentStatus", Cr.NS_OK);
      this.mObservers.notify("onLoad", [this]);
    }
  };
}
