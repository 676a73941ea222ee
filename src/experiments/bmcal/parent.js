/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The add-on's privileged bridge (with provider.js, the calendar provider it loads). Why it
 * exists: Thunderbird 140–153 has no calendar WebExtension API, and the public calendar
 * experiment forces every provider calendar to be cached, so it cannot give BlueMind's
 * unsynced calendars their online-only mode. This file:
 *  - registers our calendar provider type "bluemind" and forwards its work to the background
 *    (event onRequest: sync, query, write, freebusy), with a free/busy provider (freebusy.js);
 *  - creates, updates, lists and removes the add-on's calendars, with `cache.enabled` set
 *    before registerCalendar (synced ⇒ cached, unsynced ⇒ online-only);
 *  - writes server changes into a cached calendar's storage for the background;
 *  - keeps the BlueMind API key in Thunderbird's login manager (secrets.js);
 *  - tells a TLS failure apart from an unreachable server (fetch cannot; diagnose.js).
 * Calendars are found by URI, never by id: toggling `cache.enabled` re-creates a calendar
 * under a new id.
 */

// @ts-check
"use strict";

/* global ExtensionAPI, ChromeUtils, Services, Ci */

var { ExtensionCommon } = ChromeUtils.importESModule("resource://gre/modules/ExtensionCommon.sys.mjs");
var { ExtensionError } = ChromeUtils.importESModule("resource://gre/modules/ExtensionUtils.sys.mjs");
var { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
// @ts-expect-error TS2300: the DOM library (tsconfig.experiment.json) has a setTimeout too; this is Timer.sys.mjs's.
var { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");

const PROVIDER_TYPE = "bluemind";
const REQUEST_EVENT = "bmcal-request";

/** The extension that registered the provider; the provider reports it as providerID. */
let providerExtension = null;
/** Stops watching the connection for online-only calendars (live-view.js). */
let stopWatchingConnection = null;
/** Minutes between Thunderbird's own refreshes of our calendars (set by the background). */
let refreshMinutes = null;

/** @returns {calICalendar | null} */
function findCalendarByUri(uri) {
  return cal.manager.getCalendars().find((c) => c.type == PROVIDER_TYPE && c.uri.spec == uri) || null;
}

/**
 * @param {calICalendar} calendar
 * @returns {CalendarInfo}
 */
function describeCalendar(calendar) {
  return {
    id: calendar.id,
    uri: calendar.uri.spec,
    name: calendar.name || "",
    color: calendar.getProperty("color") || "",
    readOnly: !!calendar.readOnly,
    cached: !!calendar.getProperty("cache.enabled"),
    disabled: !!calendar.getProperty("disabled"),
  };
}

/**
 * @param {calICalendar} calendar
 * @param {CalendarChanges} changes
 */
function applyChanges(calendar, changes) {
  if (changes.name != null && calendar.name != changes.name) {
    calendar.name = changes.name;
  }
  if (changes.color != null && calendar.getProperty("color") != changes.color) {
    calendar.setProperty("color", changes.color);
  }
  if (changes.readOnly != null && !!calendar.readOnly != changes.readOnly) {
    calendar.readOnly = changes.readOnly;
  }
}

function requireCalendar(uri) {
  const calendar = findCalendarByUri(uri);
  if (!calendar) {
    throw new ExtensionError(`No BlueMind calendar at ${uri}`);
  }
  return calendar;
}

/**
 * Waits until the first main window has started its calendar component (at most 15 s).
 * Registering a provider touches the calendar manager; doing it earlier makes Thunderbird
 * initialise calendars before its own window code expects it.
 */
async function calendarUiStarted() {
  const started = () => [...Services.wm.getEnumerator("mail:3pane")].some((win) => win.loadCalendarComponent?.hasBeenCalled);
  for (let waited = 0; !started() && waited < 15000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Errors thrown by privileged code reach the add-on as "An unexpected error occurred";
 * re-throw them as ExtensionErrors so the background can log and report the real cause.
 */
function withReadableErrors(api) {
  const wrapped = {};
  for (const [name, fn] of Object.entries(api)) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (e) {
        if (e instanceof ExtensionError) {
          throw e;
        }
        console.error(`bmcal.${name} failed`, e);
        throw new ExtensionError(`bmcal.${name}: ${e?.message || e}`);
      }
    };
  }
  return wrapped;
}

/**
 * Loads provider.js and the files it is built from into one scope of their own (the provider
 * class, the cache helpers, free/busy, scheduling, the login manager). Privileged script loading only trusts
 * resource:/chrome: URLs, so the add-on's files are mapped under resource://bmcal-<uuid>/ first.
 */
function loadProviderModule(extension) {
  const host = `bmcal-${extension.uuid}`;
  const resources = Services.io.getProtocolHandler("resource").QueryInterface(Ci.nsIResProtocolHandler);
  resources.setSubstitution(host, extension.rootURI);
  const scope = /** @type {ProviderModule} */ ({});
  // Each file after those it uses, provider.js last: it builds the provider class from the
  // others (online-reads.js and item-writes.js are layers of it). cache-plan.js,
  // ics-blocks.js and rule-dates.js are src/sync/*.ts bundled by build.mjs (BmCachePlan,
  // BmIcsBlocks, BmRuleDates).
  for (const file of [
    "cache-plan.js",
    "ics-blocks.js",
    "rule-dates.js",
    "occurrences.js",
    "direct-rows.js",
    "cache-writes.js",
    "cache-storage.js",
    "cache-workarounds.js",
    "live-view.js",
    "scheduling.js",
    "freebusy.js",
    "diagnose.js",
    "secrets.js",
    "online-reads.js",
    "item-writes.js",
  ]) {
    Services.scriptloader.loadSubScript(`resource://${host}/experiments/bmcal/${file}`, scope);
  }
  Services.scriptloader.loadSubScript(`resource://${host}/experiments/bmcal/provider.js`, scope);
  return scope;
}

function unloadProviderModule(extension) {
  const resources = Services.io.getProtocolHandler("resource").QueryInterface(Ci.nsIResProtocolHandler);
  resources.setSubstitution(`bmcal-${extension.uuid}`, null);
}

this.bmcal = class extends ExtensionAPI {
  /** @type {ProviderModule | undefined} loadProviderModule's scope, from the first getAPI on. */
  providerModule;

  onShutdown(isAppShutdown) {
    stopWatchingConnection?.();
    stopWatchingConnection = null;
    this.providerModule?.unregisterFreeBusy();
    unloadProviderModule(this.extension);
    if (isAppShutdown) {
      // Calendars and their caches stay; the provider comes back with the add-on.
      return;
    }
    if (cal.manager.hasCalendarProvider(PROVIDER_TYPE)) {
      // temporary = true keeps the offline caches, so nothing unsent is lost on disable.
      cal.manager.unregisterCalendarProvider(PROVIDER_TYPE, true);
    }
    providerExtension = null;
  }

  /** @param {ExtensionContext} context */
  getAPI(context) {
    const extension = context.extension;
    this.providerModule ??= loadProviderModule(extension);
    const providerModule = this.providerModule;

    /** Asks the background; with no background listening, report "network" so changes stay offline. */
    async function request(kind, calendarInfo, payload) {
      const results = await extension.emit(REQUEST_EVENT, kind, calendarInfo, payload);
      const answer = Array.isArray(results) ? results.find((r) => r !== undefined) : undefined;
      return answer ?? { error: "network", message: "BlueMind Calendar Sync is not running" };
    }

    return {
      bmcal: {
        onRequest: new ExtensionCommon.EventManager({
          context,
          name: "bmcal.onRequest",
          register: (fire) => {
            const listener = (event, kind, calendarInfo, payload) => fire.async(kind, calendarInfo, payload);
            extension.on(REQUEST_EVENT, listener);
            return () => extension.off(REQUEST_EVENT, listener);
          },
        }).api(),

        ...withReadableErrors({
          async registerProvider() {
            await calendarUiStarted();
            if (cal.manager.hasCalendarProvider(PROVIDER_TYPE)) {
              cal.manager.unregisterCalendarProvider(PROVIDER_TYPE, true);
            }
            providerExtension = extension;
            const BlueMindCalendar = providerModule.createBlueMindProvider({
              extensionId: () => providerExtension?.id ?? "",
              request,
            });
            cal.manager.registerCalendarProvider(PROVIDER_TYPE, BlueMindCalendar);
            providerModule.registerFreeBusy({ request });
            stopWatchingConnection?.();
            stopWatchingConnection = providerModule.watchConnection((offline) => providerModule.connectionChanged(offline));
          },

          async listCalendars() {
            return cal.manager
              .getCalendars()
              .filter((c) => c.type == PROVIDER_TYPE)
              .map(describeCalendar);
          },

          async createCalendar(spec) {
            const existing = findCalendarByUri(spec.uri);
            if (existing) {
              applyChanges(existing, spec);
              if (!!existing.getProperty("cache.enabled") != spec.cached) {
                existing.setProperty("cache.enabled", spec.cached);
              }
              return describeCalendar(/** @type {calICalendar} */ (findCalendarByUri(spec.uri)));
            }
            const calendar = cal.manager.createCalendar(PROVIDER_TYPE, Services.io.newURI(spec.uri));
            if (!calendar) {
              throw new ExtensionError(`Calendar type ${PROVIDER_TYPE} is not registered`);
            }
            calendar.name = spec.name;
            calendar.setProperty("color", spec.color);
            calendar.readOnly = spec.readOnly;
            if (refreshMinutes) {
              calendar.setProperty("refreshInterval", String(refreshMinutes));
            }
            // Must be set before registerCalendar: that is where the cache wrapper is chosen.
            calendar.setProperty("cache.enabled", spec.cached);
            cal.manager.registerCalendar(calendar);
            return describeCalendar(/** @type {calICalendar} */ (findCalendarByUri(spec.uri)));
          },

          async updateCalendar(uri, changes) {
            const calendar = requireCalendar(uri);
            applyChanges(calendar, changes);
            if (changes.cached != null && !!calendar.getProperty("cache.enabled") != changes.cached) {
              // Thunderbird re-creates the calendar under a new id; the URI stays.
              calendar.setProperty("cache.enabled", changes.cached);
            }
            return describeCalendar(/** @type {calICalendar} */ (findCalendarByUri(uri)));
          },

          async removeCalendar(uri) {
            const calendar = findCalendarByUri(uri);
            if (calendar) {
              cal.manager.unregisterCalendar(calendar);
            }
          },

          /** Thunderbird's own refresh (offline edits replayed first, then our sync); resolves when done. */
          async refreshCalendar(uri) {
            const calendar = requireCalendar(uri);
            if (calendar.getProperty("disabled") || Services.io.offline) {
              return;
            }
            await calendar.refresh();
            await providerModule.providerOf(calendar)?.whenSynced?.();
          },

          async setRefreshInterval(minutes) {
            refreshMinutes = minutes;
            for (const calendar of cal.manager.getCalendars().filter((c) => c.type == PROVIDER_TYPE)) {
              if (calendar.getProperty("refreshInterval") != String(minutes)) {
                calendar.setProperty("refreshInterval", String(minutes));
              }
            }
          },

          async cacheState(uri) {
            return providerModule.cacheState(requireCalendar(uri));
          },

          async cacheIndex(uri) {
            return providerModule.cacheIndex(requireCalendar(uri));
          },

          async applyCacheChanges(uri, changes) {
            return providerModule.applyCacheChanges(requireCalendar(uri), changes);
          },

          async saveSecret(origin, username, secret) {
            return providerModule.saveSecret(origin, username, secret);
          },

          async readSecret(origin, username) {
            return providerModule.readSecret(origin, username);
          },

          async deleteSecret(origin, username) {
            return providerModule.deleteSecret(origin, username);
          },

          async diagnoseConnection(url) {
            return providerModule.diagnose(url);
          },

          /** Who sends each calendar's invitations, and as whom (scheduling.js). */
          async setScheduling(infos) {
            return providerModule.applyScheduling(
              cal.manager.getCalendars().filter((c) => c.type == PROVIDER_TYPE),
              infos,
            );
          },
        }),
      },
    };
  }
};
