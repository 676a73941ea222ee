/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * A block's simple events stored as the rows the background computed (src/thunderbird/
 * storage-rows.ts), loaded by parent.js into provider.js's scope. Why: building a CalEvent for
 * each event and letting adoptItem turn it back into rows is most of a first sync's main-thread
 * time, and Thunderbird then keeps every adopted event in memory (docs/thunderbird-cached-
 * calendar.md, "Storage performance"). Here the rows are bound to Thunderbird's own insert
 * statements (CalStorageStatements: the same SQL adoptItem runs) and issued as one async batch.
 * Workarounds and their limits, as Thunderbird has no API for this:
 * - the storage model is `storage.wrappedJSObject.mItemModel` (no IDL); rows are written only
 *   when its schema is 23 (calStorageUpgrade's DB_SCHEMA_VERSION, the same in 140, 153 and 157)
 *   and its statements are there, else the events are parsed and adopted as before;
 * - a row's time zone is stored as Thunderbird's own TZID for it; a zone Thunderbird does not
 *   know (it would store the VTIMEZONE itself) sends that event the usual way;
 * - cal_events has no unique index: the caller deletes an id already stored first (through the
 *   model's deleteItemById, which also empties Thunderbird's item caches: cache-writes.js,
 *   storeRows) and never issues two writes of an id;
 * - rows written behind the model's back reach no observer: the caller has the views read the
 *   calendar again (askViewsToReload), and the alarm service re-reads it at the onLoad that
 *   ends the sync (provider.js, syncNow). Only
 *   non-recurring events are written so, so Thunderbird's recurring-items cache stays right.
 */

// @ts-check
"use strict";

/* global ChromeUtils, cal */
/* exported rowModel, usableRows, fallbackIcs, storedIdsOf, insertRows, yieldToEventLoop, setTimeout */

var { DB_SCHEMA_VERSION } = ChromeUtils.importESModule("resource:///modules/calendar/calStorageUpgrade.sys.mjs");
// Here, the first of the provider's files that needs it, so that this file still loads alone
// (the rows' e2e oracle); cache-writes.js and cache-storage.js use it too.
// @ts-expect-error TS2300: the DOM library (tsconfig.experiment.json) has a setTimeout too; this is Timer.sys.mjs's.
var { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");

/** The schema storage-rows.ts encodes. */
const ROWS_SCHEMA = 23;

/**
 * Thunderbird's item model of a storage calendar, when rows can be written into it; else null.
 * @param {calIOfflineStorage} storage
 */
function rowModel(storage) {
  if (DB_SCHEMA_VERSION != ROWS_SCHEMA) {
    return null;
  }
  let model = null;
  try {
    model = storage.wrappedJSObject?.mItemModel || null;
  } catch (e) {
    return null;
  }
  const statements = model?.statements;
  const usable =
    model?.db &&
    typeof model.db.prepareAsyncStatement == "function" &&
    typeof model.db.prepareAsyncParams == "function" &&
    typeof model.db.executeAsync == "function" &&
    model.db.db &&
    ["mInsertEvent", "mInsertProperty", "mInsertParameter", "mInsertAlarm", "mInsertAttendee"].every((name) => statements?.[name]);
  return usable ? model : null;
}

/** Our zone strings -> the TZID Thunderbird stores for them, or null when it does not know the zone. */
const storedZones = new Map();

/** @param {string} tz */
function storedZone(tz) {
  if (!storedZones.has(tz)) {
    let own = null;
    try {
      own = cal.timezoneService.getTimezone(tz)?.tzid || null;
    } catch (e) {
      own = null;
    }
    storedZones.set(tz, own);
  }
  return storedZones.get(tz);
}

/**
 * The rows Thunderbird would store as they are (their zones as Thunderbird names them), and the
 * events it would store otherwise, to be parsed: those in zones it does not know, and meetings
 * when `meetingsAsRows` is false (where Thunderbird sends the invitations, a stored meeting
 * gets its "send invitations" choice: scheduling.js, keepItipChoices).
 * @param {EventRows[]} items
 * @param {boolean} [meetingsAsRows]
 */
function usableRows(items, meetingsAsRows = true) {
  const usable = [];
  const others = [];
  for (const rows of items) {
    if (rows.people && !meetingsAsRows) {
      others.push(rows);
      continue;
    }
    const startTz = storedZone(rows.start.tz);
    const endTz = storedZone(rows.end.tz);
    if (startTz && endTz) {
      usable.push({ ...rows, start: { ...rows.start, tz: startTz }, end: { ...rows.end, tz: endTz } });
    } else {
      others.push(rows);
    }
  }
  return { usable, others };
}

/**
 * The events of `items` as one VCALENDAR to parse, or null.
 * @param {RowBlock} block
 * @param {EventRows[]} items
 */
function fallbackIcs(block, items) {
  return items.length ? block.head + items.map((rows) => rows.text).join("") + "END:VCALENDAR\r\n" : null;
}

/**
 * Which of `ids` this storage already holds rows for (an event or a task of that id): one
 * statement of our own, run once per id in one async batch, answering only the ids found.
 * @param {any} model
 * @param {string[]} ids
 * @returns {Promise<Set<string>>}
 */
async function storedIdsOf(model, ids) {
  const found = new Set();
  if (!ids.length) {
    return found;
  }
  const statement = model.db.db.createAsyncStatement(
    "SELECT id FROM cal_events WHERE cal_id = :cal_id AND id = :id UNION ALL SELECT id FROM cal_todos WHERE cal_id = :cal_id AND id = :id",
  );
  try {
    const array = statement.newBindingParamsArray();
    for (const id of ids) {
      const params = array.newBindingParams();
      params.bindByName("cal_id", model.db.calendarId);
      params.bindByName("id", id);
      array.addParams(params);
    }
    statement.bindParameters(array);
    await model.db.executeAsync(statement, (row) => {
      found.add(row.getResultByName("id"));
    });
  } finally {
    statement.finalize();
  }
  return found;
}

/**
 * Lets the main thread run what waits (a view's paint, a timer) before going on (cache-writes.js
 * and online-reads.js use it too).
 * @returns {Promise<void>}
 */
function yieldToEventLoop() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Events whose rows are bound in one task: about 20 ms of binding (bindByName is an XPCOM call). */
const BIND_SLICE = 100;

/**
 * Issues the rows of `items` (none of their ids stored) and each one's metadata row, as one
 * async batch through Thunderbird's own statements; resolves once SQLite has run them. The
 * binding yields every BIND_SLICE events: a block's 440 events bound in one task held the main
 * thread 50-90 ms (Gecko profiler); nothing runs before the batch is issued whole.
 * @param {any} model
 * @param {EventRows[]} items
 * @param {Map<string, string>} metaById - our metadata row of each id
 */
async function insertRows(model, items, metaById) {
  const { db, statements } = model;
  /** @type {Map<any, any>} statement -> its binding parameters array */
  const stmts = new Map();
  const meta = db.db.createAsyncStatement("INSERT INTO cal_metadata (cal_id, item_id, value) VALUES (:cal_id, :item_id, :value)");
  const add = (statement, values) => {
    const array = db.prepareAsyncStatement(stmts, statement);
    const params = db.prepareAsyncParams(array);
    for (const [name, value] of Object.entries(values)) {
      params.bindByName(name, value);
    }
    array.addParams(params);
  };
  const noRecurrence = { recurrence_id: null, recurrence_id_tz: null };
  for (const [n, rows] of items.entries()) {
    if (n && n % BIND_SLICE == 0) {
      await yieldToEventLoop();
    }
    add(statements.mInsertEvent, {
      id: rows.id,
      ...noRecurrence,
      time_created: rows.created,
      last_modified: rows.lastModified,
      title: rows.title,
      priority: rows.priority,
      privacy: rows.privacy,
      ical_status: rows.status,
      alarm_last_ack: null,
      event_start: rows.start.native,
      event_start_tz: rows.start.tz,
      event_end: rows.end.native,
      event_end_tz: rows.end.tz,
      event_stamp: rows.stamp,
      flags: rows.flags,
    });
    for (const [key, value] of rows.properties) {
      add(statements.mInsertProperty, { key, value, item_id: rows.id, ...noRecurrence });
    }
    for (const [key1, key2, value] of rows.parameters) {
      add(statements.mInsertParameter, { key1, key2, value, item_id: rows.id, ...noRecurrence });
    }
    for (const icalString of rows.alarms) {
      add(statements.mInsertAlarm, { ...noRecurrence, item_id: rows.id, icalString });
    }
    for (const icalString of rows.attendees) {
      add(statements.mInsertAttendee, { ...noRecurrence, item_id: rows.id, icalString });
    }
    const value = metaById.get(rows.id);
    if (value) {
      add(meta, { item_id: rows.id, value });
    }
  }
  if (!stmts.size) {
    meta.finalize();
    return;
  }
  for (const [statement, array] of stmts) {
    statement.bindParameters(array);
  }
  await db.executeAsync([...stmts.keys()]).finally(() => meta.finalize());
}
