/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The occurrences of an online-only calendar's series in a date range, for online-reads.js.
 * Why our own: Thunderbird's expansion (CalRecurrenceInfo.getOccurrences) iterates each rule in
 * the series' zone from its start, and each step's comparisons ask the zone for its offset:
 * half of the 1.3–1.7 s a month of a 10,000-event calendar took to expand (issue 11). This is
 * CalRecurrenceInfo.calculateDates (the same in Thunderbird 140 and 153) step for step, through
 * the public calIRecurrenceInfo API, with one change: a rule BmRuleDates can iterate on wall
 * clocks (src/sync/rule-dates.ts, unit-tested against ical.js's zoned iteration) is expanded by
 * it; any other rule, and every RDATE and EXDATE, by Thunderbird. The occurrences themselves are
 * Thunderbird's (getOccurrenceFor). The end-to-end suite compares the result with Thunderbird's
 * own expansion on every version it runs (views.test.ts, "own expansion").
 */

// @ts-check
"use strict";

/* global ChromeUtils, cal, BmRuleDates */
/* exported occurrencesInRange */

var ICAL = ChromeUtils.importESModule("resource:///modules/calendar/Ical.sys.mjs").default;
var { CalDateTime } = ChromeUtils.importESModule("resource:///modules/CalDateTime.sys.mjs");

/** CalRecurrenceInfo's getRidKey: an occurrence's key, in UTC unless floating. */
function ridKey(date) {
  if (!date) {
    return null;
  }
  const timezone = date.timezone;
  if (!timezone.isUTC && !timezone.isFloating) {
    date = date.getInTimezone(cal.dtz.UTC);
  }
  return date.icalString;
}

/**
 * One recurrence item's dates in [searchStart, rangeEnd): by wall clock where BmRuleDates can,
 * else by Thunderbird.
 * @param {calIRecurrenceItem} ritem
 * @param {calIDateTime} startDate
 * @param {calIDateTime} searchStart
 * @param {calIDateTime} rangeEnd
 * @returns {calIDateTime[]}
 */
function recurrenceDates(ritem, startDate, searchStart, rangeEnd) {
  const rule = ritem.wrappedJSObject?.innerObject;
  const start = startDate.wrappedJSObject?.innerObject;
  const from = searchStart.wrappedJSObject?.innerObject;
  const to = rangeEnd.wrappedJSObject?.innerObject;
  if (rule instanceof ICAL.Recur && start && from && to) {
    const dates = BmRuleDates.ruleDates(ICAL, rule, start, from, to);
    if (dates) {
      return dates.map((date) => new CalDateTime(date));
    }
  }
  return ritem.getOccurrences(startDate, searchStart, rangeEnd, 0);
}

/**
 * The occurrences of a recurring event in [rangeStart, rangeEnd), as
 * item.recurrenceInfo.getOccurrences(rangeStart, rangeEnd, 0) gives them, in the same order.
 * @param {calIItemBase} item - the series (a parent item with recurrenceInfo)
 * @param {calIDateTime} aRangeStart
 * @param {calIDateTime} aRangeEnd
 * @returns {calIItemBase[]}
 */
function occurrencesInRange(item, aRangeStart, aRangeEnd) {
  const info = item.recurrenceInfo;
  // Thunderbird's "workaround for UTC- timezones": a DATE range is searched as DATE-TIMEs.
  const rangeStart = cal.dtz.ensureDateTime(aRangeStart);
  const rangeEnd = cal.dtz.ensureDateTime(aRangeEnd);
  const searchStart = rangeStart.clone();
  const baseDuration = item.duration;
  if (baseDuration) {
    const duration = baseDuration.clone();
    duration.isNegative = true;
    searchStart.addDuration(duration);
  }
  const startDate = item.recurrenceStartDate;
  if (startDate == null) {
    return [];
  }

  /** @type {{id: calIDateTime, rstart: calIDateTime}[]} */
  let dates = [];
  /** @type {Record<string, boolean>} */
  const occurrenceMap = {};
  for (const exceptionId of info.getExceptionIds()) {
    const exception = info.getExceptionFor(exceptionId);
    const occDate = cal.item.checkIfInRange(exception, aRangeStart, aRangeEnd, true);
    occurrenceMap[ridKey(exceptionId)] = true;
    if (occDate) {
      dates.push({ id: exceptionId, rstart: occDate });
    }
  }
  const baseOccDate = cal.item.checkIfInRange(item, aRangeStart, aRangeEnd, true);
  const baseOccDateKey = ridKey(baseOccDate);
  if (baseOccDate && !occurrenceMap[baseOccDateKey]) {
    occurrenceMap[baseOccDateKey] = true;
    dates.push({ id: baseOccDate, rstart: baseOccDate });
  }

  const items = info.getRecurrenceItems();
  for (const ritem of items.filter((one) => !one.isNegative)) {
    const current = recurrenceDates(ritem, startDate, searchStart, rangeEnd);
    let index = 0;
    // Skip the dates before rangeStart that the search's earlier start (by the duration) found.
    if (baseDuration) {
      for (; index < current.length; ++index) {
        const date = /** @type {calIDateTime} */ (current[index]).clone();
        date.addDuration(baseDuration);
        if (rangeStart.compare(date) < 0) {
          break;
        }
      }
    }
    for (; index < current.length; ++index) {
      const date = /** @type {calIDateTime} */ (current[index]);
      const dateKey = ridKey(date);
      if (!occurrenceMap[dateKey]) {
        dates.push({ id: date, rstart: date });
        occurrenceMap[dateKey] = true;
      }
    }
  }
  dates.sort((a, b) => a.rstart.compare(b.rstart));

  for (const ritem of items.filter((one) => one.isNegative)) {
    for (const dateToRemove of ritem.getOccurrences(startDate, searchStart, rangeEnd, 0)) {
      const dateToRemoveKey = ridKey(dateToRemove);
      if (dateToRemove.isDate) {
        // Thunderbird's bug 734245: an EXDATE of type DATE also removes a DATE-TIME occurrence that day.
        for (const occurrenceKey of Object.keys(occurrenceMap)) {
          if (occurrenceMap[occurrenceKey] && occurrenceKey.substring(0, 8) == dateToRemoveKey) {
            dates = dates.filter((date) => date.id.compare(dateToRemove) != 0);
            delete occurrenceMap[occurrenceKey];
          }
        }
      } else if (occurrenceMap[dateToRemoveKey]) {
        dates = dates.filter((date) => date.id.compare(dateToRemove) != 0);
        delete occurrenceMap[dateToRemoveKey];
      }
    }
  }
  return dates.map((date) => info.getOccurrenceFor(date.id));
}
