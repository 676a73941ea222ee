/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * BlueMind's free/busy in Thunderbird's attendee dialog: a calIFreeBusyProvider registered
 * with cal.freeBusyService (parent.js). For each attendee row the dialog asks every provider;
 * ours asks the background (bmcal.onRequest "freebusy"), which looks the address up in
 * BlueMind's directory and reads its free/busy (src/bluemind/freebusy.ts, where answers are
 * kept for the dialog's life). Busy, tentative and unavailable blocks are drawn as such; when
 * BlueMind cannot tell (not shared, unknown address, offline, failing) the row shows
 * Thunderbird's "No information", never an error. Signed out: no answer at all.
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, Ci, cal */
/* exported registerFreeBusy, unregisterFreeBusy */

const BUSY_TYPES = {
  busy: Ci.calIFreeBusyInterval.BUSY,
  tentative: Ci.calIFreeBusyInterval.BUSY_TENTATIVE,
  unavailable: Ci.calIFreeBusyInterval.BUSY_UNAVAILABLE,
};

/**
 * @param {Pick<ProviderHooks, "request">} hooks - {request(kind, calendarInfo, payload) -> Promise<answer>}
 * @returns {calIFreeBusyProvider}
 */
function createFreeBusyProvider(hooks) {
  return {
    QueryInterface: ChromeUtils.generateQI(["calIFreeBusyProvider"]),

    getFreeBusyIntervals(calId, rangeStart, rangeEnd, busyTypes, listener) {
      const start = rangeStart.clone();
      const end = rangeEnd.clone();
      const noInformation = () => [new cal.provider.FreeBusyInterval(calId, Ci.calIFreeBusyInterval.UNKNOWN, start, end)];
      const answer = async () => {
        if (!/^mailto:/i.test(calId)) {
          return [];
        }
        if (Services.io.offline) {
          return noInformation();
        }
        const result = await hooks.request("freebusy", null, {
          address: calId.replace(/^mailto:/i, ""),
          start: cal.dtz.toRFC3339(start.getInTimezone(cal.dtz.UTC)),
          end: cal.dtz.toRFC3339(end.getInTimezone(cal.dtz.UTC)),
        });
        if (result?.known) {
          return result.intervals
            .map(
              (i) => new cal.provider.FreeBusyInterval(calId, BUSY_TYPES[i.kind], cal.createDateTime(i.start), cal.createDateTime(i.end)),
            )
            .filter((i) => i.freeBusyType & busyTypes);
        }
        return result?.why == "signedOut" ? [] : noInformation();
      };
      answer().then(
        (intervals) => listener.onResult(null, intervals),
        (error) => {
          console.error("[bluemind-calendar-sync] free/busy", error);
          listener.onResult(null, noInformation());
        },
      );
      return null;
    },
  };
}

/** @type {calIFreeBusyProvider | null} Our provider while registered with cal.freeBusyService (one per add-on instance). */
let registeredFreeBusy = null;

/** @param {Pick<ProviderHooks, "request">} hooks */
function registerFreeBusy(hooks) {
  unregisterFreeBusy();
  registeredFreeBusy = createFreeBusyProvider(hooks);
  cal.freeBusyService.addProvider(registeredFreeBusy);
}

function unregisterFreeBusy() {
  if (registeredFreeBusy) {
    cal.freeBusyService.removeProvider(registeredFreeBusy);
    registeredFreeBusy = null;
  }
}
