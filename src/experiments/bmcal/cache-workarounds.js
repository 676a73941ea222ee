/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * Two Thunderbird bugs in the cached calendar (140 and 153 ESR), worked around from outside,
 * loaded by parent.js into provider.js's scope; the provider applies both when calCachedCalendar
 * hands it its storage (the offlineStorage setter). Why a file of its own: both patch
 * Thunderbird's own objects, the storage calendar and the cached wrapper, through their JS
 * implementation (wrappedJSObject: in no IDL), so they are kept apart from our code, each with
 * the behaviour it corrects (docs/thunderbird-cached-calendar.md, "Bugs and workarounds"):
 * - keepJournalFresh: the offline-journal flags of recurring items, cached once, never updated;
 * - onePlaybackAtATime: two replays of the offline journal running at once.
 */

// @ts-check
"use strict";

/* exported keepJournalFresh, onePlaybackAtATime */

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
 * @param {calIOfflineStorage} storage
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
 * @param {calICalendar} cachedCalendar
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
