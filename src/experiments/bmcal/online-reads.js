/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The provider's reads, loaded by parent.js into provider.js's scope: the layer of the
 * "bluemind" calendar class (provider.js) that answers Thunderbird's queries. Why a layer of its
 * own: only an online-only calendar (Synchronisation off) answers them itself (a cached one
 * hands them to its storage), from BlueMind through the background, for each date range
 * Thunderbird asks (queryRange: one round trip per range, shared by the calls of a burst; the
 * series parsed are held, so BlueMind sends again only what changed: HeldSeries). It also keeps
 * the views true to BlueMind and to the connection (live-view.js): offline, what they were
 * given is withdrawn; back online or at a refresh, the ranges on screen are read again.
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, Cc, Ci, Cr, Components, cal, parseBlock, markItipDefault, occurrencesInRange, syncStoring, whenSyncStored, yieldToEventLoop, UNAVAILABLE */
/* exported withOnlineReads */

var { CalReadableStreamFactory } = ChromeUtils.importESModule("resource:///modules/CalReadableStreamFactory.sys.mjs");

const QUERY_CACHE_MS = 5000;
/** Series held parsed by an online-only calendar before it starts afresh at its next refresh. */
const HELD_SERIES_MAX = 2000;

/**
 * The series an online-only calendar has parsed, each held as Thunderbird made it immutable in
 * one memory calendar, where its recurrence rules remember the occurrences they expanded
 * (CalRecurrenceRule's caching iterator): a later query that BlueMind answers with the same
 * version (QueryAnswer.kept) costs neither a parse nor an expansion from the series' start.
 * Nothing is ever removed from it, so an answer can always rely on what it was told is held;
 * past HELD_SERIES_MAX the provider replaces the whole object at a refresh.
 */
class HeldSeries {
  /** @param {calICalendar} superCalendar */
  constructor(superCalendar) {
    this.memory = Cc["@mozilla.org/calendar/calendar;1?type=memory"].createInstance(Ci.calISyncWriteCalendar);
    this.memory.superCalendar = superCalendar;
    /** @type {Map<string, {version: number, id: string}>} BlueMind item uid → the version and item id held */
    this.byUid = new Map();
    /** @type {Map<string, calIItemBase>} item id → the item the memory calendar holds */
    this.items = new Map();
  }

  /** @returns {Record<string, number>} */
  versions() {
    return Object.fromEntries([...this.byUid].map(([uid, held]) => [uid, held.version]));
  }

  get full() {
    return this.byUid.size > HELD_SERIES_MAX;
  }
}

/** The queries our own expansion answers: a range's occurrences of events, nothing filtered on. */
const OWN_EXPANSION_FILTERS = Ci.calICalendar.ITEM_FILTER_TYPE_EVENT | Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES;
const NOT_OWN_EXPANSION =
  Ci.calICalendar.ITEM_FILTER_TYPE_TODO |
  Ci.calICalendar.ITEM_FILTER_REQUEST_NEEDS_ACTION |
  Ci.calICalendar.ITEM_FILTER_OFFLINE_CREATED |
  Ci.calICalendar.ITEM_FILTER_OFFLINE_MODIFIED |
  Ci.calICalendar.ITEM_FILTER_OFFLINE_DELETED;

/** How long the expansion runs before it lets the main thread go (see occurrencesHeld). */
const EXPANSION_SLICE_MS = 15;

/** @param {number} filter */
function ownExpansion(filter) {
  return (filter & OWN_EXPANSION_FILTERS) == OWN_EXPANSION_FILTERS && !(filter & NOT_OWN_EXPANSION);
}

/**
 * A range's events and occurrences among the held items an answer names, as the memory
 * calendar's getItems(events | occurrences) gives them, the series expanded by
 * occurrencesInRange (occurrences.js: Thunderbird's expansion without its cost per step).
 * It yields every EXPANSION_SLICE_MS, as Thunderbird's storage does while it reads: a month of
 * 1,210 series expanded in one task held the main thread 321-526 ms (the bench's row g).
 * @param {QueryAnswer} answer
 * @param {calIDateTime} rangeStart
 * @param {calIDateTime} rangeEnd
 * @returns {Promise<calIItemBase[]>}
 */
async function occurrencesHeld(answer, rangeStart, rangeEnd) {
  const start = cal.dtz.ensureDateTime(rangeStart);
  const end = cal.dtz.ensureDateTime(rangeEnd);
  const found = [];
  // The answer's items as they are now: a refresh may replace held series during a yield.
  const items = [...answer.ids].map((id) => answer.held.items.get(id));
  let sliceStart = Date.now();
  for (const item of items) {
    if (Date.now() - sliceStart >= EXPANSION_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = Date.now();
    }
    if (!item?.isEvent()) {
      continue;
    }
    if (item.recurrenceInfo) {
      found.push(...occurrencesInRange(item, start, end));
    } else if (cal.item.checkIfInRange(item, start, end)) {
      found.push(item);
    }
  }
  return found;
}

/**
 * A range's items as a query with this filter gets them: our expansion where it applies, else
 * the memory calendar's (which holds more than the answer: the caller keeps the answer's ids).
 * @param {QueryAnswer} answer
 * @param {number} filter
 * @param {calIDateTime | null} start
 * @param {calIDateTime | null} end
 * @returns {Promise<calIItemBase[]>}
 */
async function itemsInRange(answer, filter, start, end) {
  if (start && end && ownExpansion(filter)) {
    return await occurrencesHeld(answer, start, end);
  }
  return answer.memory.getItemsAsArray(filter, 0, start, end);
}

/**
 * @typedef {object} QueryAnswer
 * @property {calISyncWriteCalendar} memory - the held series' memory calendar
 * @property {HeldSeries} held - the series held when the answer came
 * @property {Set<string>} ids - the range's items among them
 */

/**
 * @param {calIDateTime | null} rangeStart
 * @param {calIDateTime | null} rangeEnd
 */
function rangeKey(rangeStart, rangeEnd) {
  const start = rangeStart ? cal.dtz.toRFC3339(rangeStart) : null;
  const end = rangeEnd ? cal.dtz.toRFC3339(rangeEnd) : null;
  return `${start}|${end}`;
}

/**
 * Adds the reads to the provider's base class (createProviderBase, provider.js).
 * @template {new (...args: any[]) => BlueMindProviderBase} TBase
 * @param {ProviderHooks} hooks - the provider's
 * @param {TBase} Base
 */
function withOnlineReads(hooks, Base) {
  return class BlueMindOnlineReads extends Base {
    // ---- online-only: the views follow the connection and BlueMind (live-view.js)

    /** @param {boolean} offline */
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
        // Occurrences, then their series: the memory calendar's parents-only query leaves out a
        // series whose DTSTART is before the range ("needs fixing for recurring items", its
        // getItems says), so a series added in BlueMind that began earlier never came on screen.
        const type = this.holdsTasks ? Ci.calICalendar.ITEM_FILTER_TYPE_TODO : Ci.calICalendar.ITEM_FILTER_TYPE_EVENT;
        const filter = type | Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES;
        for (const { start, end } of ranges) {
          const answer = await this.queryRange(start, end);
          for (const item of await itemsInRange(answer, filter, start, end)) {
            if (answer.ids.has(item.parentItem.id)) {
              fresh.set(item.parentItem.id, item.parentItem);
            }
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

    /**
     * @param {number} filter
     * @param {number} count
     * @param {calIDateTime | null} rangeStart
     * @param {calIDateTime | null} rangeEnd
     */
    getItems(filter, count, rangeStart, rangeEnd) {
      const storage = this.mOfflineStorage;
      if (storage && filter & Ci.calICalendar.ITEM_FILTER_REQUEST_NEEDS_ACTION && syncStoring(storage)) {
        // Thunderbird's invitations manager asks the calendar behind the cache directly (10 s
        // after a calendar is added, then every 3 minutes), for a year of invitations to answer.
        // During a sync the cache is partly stored: the answer would miss the blocks to come,
        // and reading a year of a 10,000-event cache then costs about 2 s of main thread that
        // the sync is waiting for (Gecko profiler: it made a first sync taking over 10 s
        // slower still). So it is answered once the sync is stored.
        return CalReadableStreamFactory.createReadableStream({
          async start(controller) {
            await whenSyncStored(storage);
            for await (const chunk of cal.iterate.streamValues(storage.getItems(filter, count, rangeStart, rangeEnd))) {
              controller.enqueue(chunk);
            }
            controller.close();
          },
        });
      }
      if (storage) {
        return storage.getItems(filter, count, rangeStart, rangeEnd);
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
            const answer = await self.queryRange(start, end);
            self.mLive.rememberRange(rangeKey(start, end), start, end);
            let left = count || Infinity;
            if (start && end && ownExpansion(filter)) {
              const mine = (await occurrencesHeld(answer, start, end)).slice(0, left);
              self.mLive.served(mine);
              controller.enqueue(mine);
              controller.close();
              return;
            }
            for await (const chunk of cal.iterate.streamValues(answer.memory.getItems(filter, 0, start, end))) {
              const mine = chunk.filter((item) => answer.ids.has(item.parentItem.id)).slice(0, left);
              left -= mine.length;
              self.mLive.served(mine);
              controller.enqueue(mine);
              if (!left) {
                break;
              }
            }
          } catch (e) {
            // Never error the stream: it would break Thunderbird's composite queries.
            self.notifyError(e.result || Cr.NS_ERROR_FAILURE, e.message || String(e));
          }
          controller.close();
        },
      });
    }

    /** @param {string} id */
    async getItem(id) {
      if (this.mOfflineStorage) {
        return this.mOfflineStorage.getItem(id);
      }
      const answer = await this.queryRange(null, null);
      return answer.ids.has(id) ? answer.memory.getItem(id) : null;
    }

    /**
     * One background round trip per range, shared by the calls Thunderbird makes in a burst.
     * Its answer: the memory calendar holding the range's items, and which of its items they are.
     * @param {calIDateTime | null} rangeStart
     * @param {calIDateTime | null} rangeEnd
     * @returns {Promise<QueryAnswer>}
     */
    queryRange(rangeStart, rangeEnd) {
      const start = rangeStart ? cal.dtz.toRFC3339(rangeStart) : null;
      const end = rangeEnd ? cal.dtz.toRFC3339(rangeEnd) : null;
      const key = rangeKey(rangeStart, rangeEnd);
      const cached = this.mQueryCache.get(key);
      if (cached && Date.now() - cached.time < QUERY_CACHE_MS) {
        return cached.promise;
      }
      const promise = this.readRange(start, end);
      this.mQueryCache.set(key, { time: Date.now(), promise });
      promise.catch(() => this.mQueryCache.delete(key));
      return promise;
    }

    /**
     * Asks the background for a range, saying which series this calendar holds (HeldSeries);
     * parses and adopts only what BlueMind sends, which is what changed or is new to it.
     * @param {string | null} start
     * @param {string | null} end
     * @returns {Promise<QueryAnswer>}
     */
    async readRange(start, end) {
      this.mHeld ??= new HeldSeries(this);
      const held = this.mHeld;
      const result = await hooks.request("query", this.info, { start, end, held: held.versions() });
      if (!result || "error" in result) {
        throw Components.Exception(result?.message || "query failed", result?.error == "network" ? UNAVAILABLE : Cr.NS_ERROR_FAILURE);
      }
      this.setProperty("currentStatus", Cr.NS_OK);
      const ids = new Set();
      for (const itemUid of result.kept ?? []) {
        const kept = held.byUid.get(itemUid); // always there: nothing is removed from a HeldSeries
        if (kept) {
          ids.add(kept.id);
        }
      }
      const adopted = [];
      // In pieces with a yield between, as a cached calendar's blocks: a month of a large calendar
      // parsed at once held the main thread half a second.
      for (const item of await parseBlock(result.ics)) {
        const meta = result.meta?.[item.id];
        if (meta) {
          this.mItemUids.set(item.id, meta);
          held.byUid.set(meta.itemUid, { version: meta.version, id: item.id });
        }
        item.calendar = this.superCalendar;
        markItipDefault(this, item);
        ids.add(item.id);
        held.items.set(item.id, item);
        adopted.push(held.memory.adoptItem(item));
      }
      await Promise.all(adopted);
      return { memory: held.memory, held, ids };
    }

    /** At a refresh: past HELD_SERIES_MAX, the calendar starts holding afresh (answers in flight keep theirs). */
    startAfreshIfFull() {
      if (this.mHeld?.full) {
        this.mHeld = null;
      }
    }
  };
}
