/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * Thunderbird's open views (day, week and month views, the Today pane, the minimonth dots) kept
 * true to what a BlueMind calendar holds, loaded by parent.js into provider.js's scope. Why:
 * - the views' observer (calendar-filter.js) reloads a calendar on onLoad only when its type is
 *   "ics", and the minimonth adds its dots once more at every onLoad (it never clears them), so
 *   neither follows an onLoad of ours;
 * - an online-only calendar has no cache to tell them anything, and Thunderbird gives it no
 *   onOfflineStatusChanged: offline, its events stayed on screen with no mark, and came back
 *   online only once the user moved the view.
 * So an online-only calendar remembers which items it served to Thunderbird's queries, and for
 * which date ranges: offline, every served item is withdrawn (onDeleteItem), and each reload
 * (back online, a refresh) tells the views item by item what appeared, changed or went away.
 * askViewsToReload makes the views query a calendar again: a cached calendar's sync calls it
 * after storing rows, which reach no observer (cache-writes.js, viewsCatchUp).
 */

// @ts-check
"use strict";

/* global Services */
/* exported LiveItems, askViewsToReload, watchConnection */

/** Ranges remembered for a reload: what the open views and the minimonth show, with room to spare. */
const MAX_LIVE_RANGES = 8;

/** @typedef {{item: calIItemBase, text: string | null}} LiveEntry */

class LiveItems {
  /** @param {(item: calIItemBase) => string} serialize - item → string that changes whenever the item does */
  constructor(serialize) {
    this.serialize = serialize;
    /** @type {Map<string, LiveEntry>} id → { item, text } of every parent item served to Thunderbird. */
    this.shown = new Map();
    /** @type {Map<string, {start: calIDateTime, end: calIDateTime}>} "start|end" → { start, end }, oldest first. */
    this.ranges = new Map();
  }

  /**
   * A date range Thunderbird asked for; open-ended ones (a lookup by id) are never reloaded.
   * @param {string} key
   * @param {calIDateTime | null} start
   * @param {calIDateTime | null} end
   */
  rememberRange(key, start, end) {
    if (!start || !end) {
      return;
    }
    this.ranges.delete(key);
    this.ranges.set(key, { start, end });
    while (this.ranges.size > MAX_LIVE_RANGES) {
      this.ranges.delete(/** @type {string} */ (this.ranges.keys().next().value)); // the oldest: never empty here
    }
  }

  rangesToReload() {
    return [...this.ranges.values()];
  }

  /**
   * Items (occurrences or parents) Thunderbird received: their parents are now on screen. Their
   * text is computed only when a reload compares them (served items are never changed in
   * place), so a month query does not serialise every event it answers.
   * @param {calIItemBase[]} items
   */
  served(items) {
    for (const item of items) {
      const parent = item.parentItem || item;
      if (!this.shown.has(parent.id)) {
        this.shown.set(parent.id, { item: parent, text: null });
      }
    }
  }

  /** @param {LiveEntry} entry */
  textOf(entry) {
    entry.text ??= this.serialize(entry.item);
    return entry.text;
  }

  /** @param {string} id */
  forget(id) {
    this.shown.delete(id);
  }

  /** The calendar became unavailable: every served item is to be withdrawn from the views. */
  withdrawAll() {
    const items = [...this.shown.values()].map((entry) => entry.item);
    this.shown.clear();
    return items;
  }

  /**
   * What the views must be told now that `fresh` (the parents of every remembered range, just
   * read again) replaces what was served: { added, modified: [[newItem, oldItem]], deleted }.
   * @param {calIItemBase[]} fresh
   */
  diff(fresh) {
    const next = new Map();
    for (const item of fresh) {
      next.set(item.id, { item, text: null });
    }
    const added = [];
    const modified = [];
    const deleted = [];
    for (const [id, entry] of next) {
      const old = this.shown.get(id);
      if (!old) {
        added.push(entry.item);
      } else if (this.textOf(old) != this.textOf(entry)) {
        modified.push([entry.item, old.item]);
      }
    }
    for (const [id, old] of this.shown) {
      if (!next.has(id)) {
        deleted.push(old.item);
      }
    }
    this.shown = next;
    return { added, modified, deleted };
  }
}

/**
 * Makes the open views query a calendar again. They do on onLoad only for type "ics", but
 * always when a calendar re-enters the composite calendar: announcing
 * "calendar-main-in-composite" false then true (the property itself never changes) makes them
 * drop that calendar's items and read them again. The calendar list's checkbox follows the
 * same two notifications and ends as it was.
 * @param {calICalendar} calendar
 */
function askViewsToReload(calendar) {
  const observers = calendar.wrappedJSObject?.mObservers;
  // A calendar the user unticked in the calendar list is in no view: nothing to reload, and
  // the two notifications would tick it again.
  if (!observers || calendar.getProperty("calendar-main-in-composite") === false) {
    return;
  }
  observers.notify("onPropertyChanged", [calendar, "calendar-main-in-composite", false, true]);
  observers.notify("onPropertyChanged", [calendar, "calendar-main-in-composite", true, false]);
}

/**
 * Calls `onChange(offline)` when Thunderbird goes offline or back online (Work offline, or the
 * network lost); returns the function that stops watching.
 * @param {(offline: boolean) => void} onChange
 * @returns {() => void}
 */
function watchConnection(onChange) {
  const observer = {
    observe(subject, topic, data) {
      onChange(data == "offline");
    },
  };
  Services.obs.addObserver(observer, "network:offline-status-changed");
  return () => Services.obs.removeObserver(observer, "network:offline-status-changed");
}
