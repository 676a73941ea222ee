/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The add-on's only privileged code. Why it exists: Thunderbird 140–153 has no calendar
 * WebExtension API, and the public calendar experiment forces every provider calendar to be
 * cached, so it cannot give BlueMind's unsynced calendars their online-only mode. This file:
 *  - registers our own calendar provider type "bluemind" (cal.manager.registerCalendarProvider);
 *  - creates, updates, lists and removes the add-on's calendars, with `cache.enabled` set
 *    before registerCalendar (synced ⇒ cached, unsynced ⇒ online-only);
 *  - keeps the BlueMind API key in Thunderbird's login manager;
 *  - tells a TLS failure apart from an unreachable server (fetch cannot).
 * Calendars are found by URI, never by id: toggling `cache.enabled` re-creates a calendar
 * under a new id.
 */

"use strict";

/* global ExtensionAPI, ChromeUtils, Services, Cc, Ci, Cr, Components */

var { ExtensionError } = ChromeUtils.importESModule("resource://gre/modules/ExtensionUtils.sys.mjs");
var { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
var { CalReadableStreamFactory } = ChromeUtils.importESModule(
  "resource:///modules/CalReadableStreamFactory.sys.mjs"
);
var { NetUtil } = ChromeUtils.importESModule("resource://gre/modules/NetUtil.sys.mjs");
var { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");

const PROVIDER_TYPE = "bluemind";
const SECRET_REALM = "BlueMind Calendar Sync";
const NS_ERROR_MODULE_SECURITY = 21;

/** The extension that registered the provider; the provider class reports it as providerID. */
let providerExtension = null;

/**
 * One provider class for both modes. Cached mode: Thunderbird's calCachedCalendar wraps it
 * and reads from its own storage; online-only mode: Thunderbird calls getItems directly.
 * Event contents are not synchronised yet, so both modes hold no items and edits are
 * refused cleanly (through the cache hooks, so no caller is left waiting).
 */
class BlueMindCalendar extends cal.provider.BaseClass {
  QueryInterface = ChromeUtils.generateQI(["calICalendar", "calIChangeLog", "calISchedulingSupport"]);

  constructor() {
    super();
    this.initProviderBase();
    this.mOfflineStorage = null;
  }

  get type() {
    return PROVIDER_TYPE;
  }

  get providerID() {
    return providerExtension ? providerExtension.id : "";
  }

  get canRefresh() {
    return true;
  }

  get supportsScheduling() {
    return false;
  }

  getSchedulingSupport() {
    return this;
  }

  // calIChangeLog: present so calCachedCalendar uses its change-log path.
  get offlineStorage() {
    return this.mOfflineStorage;
  }

  set offlineStorage(storage) {
    this.mOfflineStorage = storage;
  }

  resetLog() {}

  replayChangesOn(listener) {
    if (listener) {
      listener.onResult({ status: Cr.NS_OK }, null);
    }
  }

  refresh() {
    // Contents arrive with event synchronisation; until then there is nothing to fetch.
  }

  getItems() {
    return CalReadableStreamFactory.createEmptyReadableStream();
  }

  async getItem() {
    return null;
  }

  addItem(item) {
    return this.adoptItem(item.clone());
  }

  async adoptItem(item) {
    const hook = this._cachedAdoptItemCallback;
    this._cachedAdoptItemCallback = null;
    return this.refuseWrite(hook, Ci.calIOperationListener.ADD, item);
  }

  async modifyItem(newItem) {
    // calCachedCalendar never clears this hook itself (Thunderbird bug): clear it here.
    const hook = this._cachedModifyItemCallback;
    this._cachedModifyItemCallback = null;
    return this.refuseWrite(hook, Ci.calIOperationListener.MODIFY, newItem);
  }

  async deleteItem(item) {
    return this.refuseWrite(null, Ci.calIOperationListener.DELETE, item);
  }

  refuseWrite(hook, operation, item) {
    const error = Components.Exception("Editing BlueMind events is not available yet", Ci.calIErrors.MODIFICATION_FAILED);
    if (hook) {
      // A rejection while the cache hook is set would leave the caller waiting forever
      // (calCachedCalendar reads item.calendar, null for new items): report through the hook.
      hook(this.superCalendar, error.result, operation, item?.id ?? null, error);
    }
    throw error;
  }
}

function findCalendarByUri(uri) {
  return cal.manager.getCalendars().find(c => c.type == PROVIDER_TYPE && c.uri.spec == uri) || null;
}

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

function applyChanges(calendar, changes) {
  if (changes.name !== undefined && changes.name !== null && calendar.name != changes.name) {
    calendar.name = changes.name;
  }
  if (changes.color !== undefined && changes.color !== null && calendar.getProperty("color") != changes.color) {
    calendar.setProperty("color", changes.color);
  }
  if (changes.readOnly !== undefined && changes.readOnly !== null && !!calendar.readOnly != changes.readOnly) {
    calendar.readOnly = changes.readOnly;
  }
}

/** Resolves with "tls", "unreachable" or "ok", from the nsresult of a privileged request. */
function diagnose(url) {
  return new Promise(resolve => {
    let channel;
    try {
      channel = NetUtil.newChannel({ uri: url, loadUsingSystemPrincipal: true });
    } catch (e) {
      resolve("unreachable");
      return;
    }
    channel.loadFlags |= Ci.nsIRequest.LOAD_BYPASS_CACHE | Ci.nsIRequest.LOAD_ANONYMOUS;
    channel.asyncOpen({
      onStartRequest() {},
      onDataAvailable(request, stream, offset, count) {
        NetUtil.readInputStreamToString(stream, count);
      },
      onStopRequest(request, status) {
        if (Components.isSuccessCode(status)) {
          resolve("ok");
          return;
        }
        const module = ((status >>> 16) & 0x1fff) - 0x45;
        resolve(module == NS_ERROR_MODULE_SECURITY ? "tls" : "unreachable");
      },
    });
  });
}

/**
 * Waits until the first main window has started its calendar component (at most 15 s).
 * Registering a provider touches the calendar manager; doing it earlier makes Thunderbird
 * initialise calendars before its own window code expects it.
 */
async function calendarUiStarted() {
  const started = () =>
    [...Services.wm.getEnumerator("mail:3pane")].some(win => win.loadCalendarComponent?.hasBeenCalled);
  for (let waited = 0; !started() && waited < 15000; waited += 100) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** removeLoginAsync in 153; removeLogin in older releases. */
async function removeLogin(login) {
  if (typeof Services.logins.removeLoginAsync == "function") {
    await Services.logins.removeLoginAsync(login);
  } else {
    Services.logins.removeLogin(login);
  }
}

async function findSecretLogins(origin) {
  return Services.logins.searchLoginsAsync({ origin, httpRealm: SECRET_REALM });
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

this.bmcal = class extends ExtensionAPI {
  onShutdown(isAppShutdown) {
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

  getAPI(context) {
    const extension = context.extension;
    return {
      bmcal: withReadableErrors({
        async registerProvider() {
          await calendarUiStarted();
          if (cal.manager.hasCalendarProvider(PROVIDER_TYPE)) {
            cal.manager.unregisterCalendarProvider(PROVIDER_TYPE, true);
          }
          providerExtension = extension;
          cal.manager.registerCalendarProvider(PROVIDER_TYPE, BlueMindCalendar);
        },

        async listCalendars() {
          return cal.manager
            .getCalendars()
            .filter(c => c.type == PROVIDER_TYPE)
            .map(describeCalendar);
        },

        async createCalendar(spec) {
          const existing = findCalendarByUri(spec.uri);
          if (existing) {
            applyChanges(existing, spec);
            if (!!existing.getProperty("cache.enabled") != spec.cached) {
              existing.setProperty("cache.enabled", spec.cached);
            }
            return describeCalendar(findCalendarByUri(spec.uri));
          }
          const calendar = cal.manager.createCalendar(PROVIDER_TYPE, Services.io.newURI(spec.uri));
          if (!calendar) {
            throw new ExtensionError(`Calendar type ${PROVIDER_TYPE} is not registered`);
          }
          calendar.name = spec.name;
          calendar.setProperty("color", spec.color);
          calendar.readOnly = spec.readOnly;
          // Must be set before registerCalendar: that is where the cache wrapper is chosen.
          calendar.setProperty("cache.enabled", spec.cached);
          cal.manager.registerCalendar(calendar);
          return describeCalendar(findCalendarByUri(spec.uri));
        },

        async updateCalendar(uri, changes) {
          const calendar = findCalendarByUri(uri);
          if (!calendar) {
            throw new ExtensionError(`No BlueMind calendar at ${uri}`);
          }
          applyChanges(calendar, changes);
          if (changes.cached !== undefined && changes.cached !== null &&
              !!calendar.getProperty("cache.enabled") != changes.cached) {
            // Thunderbird re-creates the calendar under a new id; the URI stays.
            calendar.setProperty("cache.enabled", changes.cached);
          }
          return describeCalendar(findCalendarByUri(uri));
        },

        async removeCalendar(uri) {
          const calendar = findCalendarByUri(uri);
          if (calendar) {
            cal.manager.unregisterCalendar(calendar);
          }
        },

        async refreshCalendar(uri) {
          const calendar = findCalendarByUri(uri);
          if (calendar && calendar.canRefresh) {
            calendar.refresh();
          }
        },

        async saveSecret(origin, username, secret) {
          for (const login of await findSecretLogins(origin)) {
            await removeLogin(login);
          }
          const login = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
          login.init(origin, null, SECRET_REALM, username, secret, "", "");
          await Services.logins.addLoginAsync(login);
        },

        async readSecret(origin, username) {
          const logins = await findSecretLogins(origin);
          const login = logins.find(l => l.username == username);
          return login ? login.password : null;
        },

        async deleteSecret(origin, username) {
          for (const login of await findSecretLogins(origin)) {
            if (login.username == username) {
              await removeLogin(login);
            }
          }
        },

        async diagnoseConnection(url) {
          return diagnose(url);
        },
      }),
    };
  }
};

