/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * Who sends a BlueMind calendar's invitations, and who the user is there (loaded by parent.js
 * before provider.js). BlueMind mails invitations, updates, cancellations and answers only
 * for meetings in their owner's default calendar: there the provider's canNotify is true and
 * Thunderbird sends nothing. In every other BlueMind calendar BlueMind sends nothing, so
 * canNotify is false and Thunderbird sends them through the user's mail identity. The
 * background tells each calendar (setScheduling) its owner's address and name, which become
 * organizerId / organizerCN (meetings are organised in the owner's name: BlueMind compares
 * the organizer with the calendar's owner), and the user's address, which picks the mail
 * identity (imip.identity.key) unless the user chose one in the calendar's properties.
 * Without the background's word yet, the calendar's URI decides (`calendar:Default:<uid>`).
 */

// @ts-check
"use strict";

/* global ChromeUtils, Services, cal, providerOf */
/* exported serverSends, schedulingProperty, applyScheduling, keepItipState, keepItipChoices, markItipDefault */

var { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");

const SERVER_SENDS = "bluemind.serverSends";
const OWNER_EMAIL = "bluemind.ownerEmail";
const OWNER_NAME = "bluemind.ownerName";
const USER_EMAIL = "bluemind.userEmail";
/** Thunderbird's own iTIP bookkeeping on an item, which BlueMind does not keep. */
const ITIP_STATE = ["X-MOZ-SEND-INVITATIONS", "X-MOZ-SEND-INVITATIONS-UNDISCLOSED", "X-MOZ-INVITED-ATTENDEE"];

/**
 * The BlueMind container uid behind a calendar (its URI's last segment).
 * @param {calICalendar | CalProviderBase} calendar
 */
function containerUidOf(calendar) {
  const spec = calendar.uri?.spec ?? "";
  try {
    return decodeURIComponent(spec.slice(spec.lastIndexOf("/") + 1));
  } catch (e) {
    return "";
  }
}

/**
 * BlueMind sends this calendar's iMIP messages (its owner's default calendar).
 * @param {calICalendar | CalProviderBase} provider
 * @param {(name: string) => any} [base]
 */
function serverSends(provider, base = (name) => provider.getProperty(name)) {
  const said = base(SERVER_SENDS);
  if (said !== null && said !== undefined) {
    return said === true || said === "true";
  }
  return containerUidOf(provider).startsWith("calendar:Default:");
}

/** @returns {nsIMsgIdentity | null} */
function identityWithEmail(email) {
  const wanted = String(email || "").toLowerCase();
  if (!wanted) {
    return null;
  }
  return MailServices.accounts.allIdentities.find((identity) => (identity.email || "").toLowerCase() == wanted) || null;
}

/**
 * The scheduling properties Thunderbird reads (organizerId, organizerCN, imip.identity.key,
 * imip.identity, imip.account), or undefined to let BaseClass answer. `base` reads the stored
 * value. The identity is looked up each time: an account added later is found at once.
 * @param {CalProviderBase} provider
 * @param {string} name
 * @param {(name: string) => any} base
 */
function schedulingProperty(provider, name, base) {
  switch (name) {
    case "organizerId": {
      const email = base(OWNER_EMAIL);
      return email ? `mailto:${email}` : undefined;
    }
    case "organizerCN":
      return base(OWNER_EMAIL) ? base(OWNER_NAME) || null : undefined;
    case "imip.identity.key": {
      const chosen = base("imip.identity.key");
      if (chosen) {
        return chosen;
      }
      return identityWithEmail(base(USER_EMAIL))?.key ?? undefined;
    }
    case "imip.identity":
      return cal.provider.getEmailIdentityOfCalendar(provider);
    case "imip.account": {
      const account = {};
      return cal.provider.getEmailIdentityOfCalendar(provider, account) ? account.value : null;
    }
  }
  return undefined;
}

/**
 * Stores what the background said about each calendar (only what changed); returns how many exist.
 * @param {calICalendar[]} calendars
 * @param {SchedulingInfo[]} infos
 */
function applyScheduling(calendars, infos) {
  let found = 0;
  for (const info of infos) {
    const calendar = calendars.find((c) => c.uri.spec == info.uri);
    if (!calendar) {
      continue;
    }
    found++;
    const wanted = {
      [SERVER_SENDS]: !!info.serverSends,
      [OWNER_EMAIL]: info.ownerEmail || "",
      [OWNER_NAME]: info.ownerName || "",
      [USER_EMAIL]: info.userEmail || "",
    };
    for (const [name, value] of Object.entries(wanted)) {
      if (calendar.getProperty(name) !== value) {
        calendar.setProperty(name, value);
      }
    }
  }
  return found;
}

/**
 * BlueMind's copy of a saved item lacks Thunderbird's iTIP bookkeeping ("send invitations"
 * ticked in the event dialog, …); the copy handed back to Thunderbird gets it again, else
 * Thunderbird would not send the invitations of a calendar BlueMind does not send for.
 * @param {calIItemBase} from
 * @param {calIItemBase} to
 */
function keepItipState(from, to) {
  for (const source of [from.parentItem, from]) {
    for (const name of ITIP_STATE) {
      const value = source?.getProperty(name);
      if (value !== null && value !== undefined) {
        to.setProperty(name, value);
      }
    }
  }
  return to;
}

/**
 * A meeting the calendar's user organises (the organizer is the calendar's organizerId).
 * @param {calICalendar | CalProviderBase} provider
 * @param {calIItemBase} item
 */
function isOwnMeeting(provider, item) {
  const organizer = item.organizer?.id;
  const me = provider.getProperty("organizerId");
  return !!organizer && !!me && organizer.toLowerCase() == me.toLowerCase() && item.getAttendees().length > 0;
}

/**
 * What Thunderbird's event dialog does for an item without a choice: calendar.itip.notify.
 * @param {calIItemBase} item
 */
function defaultItipChoice(item) {
  if (item.getProperty("X-MOZ-SEND-INVITATIONS") === null) {
    item.setProperty("X-MOZ-SEND-INVITATIONS", Services.prefs.getBoolPref("calendar.itip.notify", true) ? "TRUE" : "FALSE");
  }
}

/**
 * Items read from BlueMind lack Thunderbird's "send invitations" choice, and where Thunderbird
 * sends (not the owner's default calendar) an update or a cancellation would then go to
 * nobody. A copy replacing a stored one keeps the stored choice; a new one gets Thunderbird's
 * default, as the event dialog would give it.
 * @param {calICalendar} calendar
 * @param {calISyncWriteCalendar} storage
 * @param {calIItemBase[]} items
 */
async function keepItipChoices(calendar, storage, items) {
  const provider = providerOf(calendar) || calendar;
  if (serverSends(provider)) {
    return;
  }
  for (const item of items) {
    if (isOwnMeeting(provider, item)) {
      const previous = await storage.getItem(item.id);
      if (previous) {
        keepItipState(previous, item);
      }
      defaultItipChoice(item);
    }
  }
}

/**
 * The same for an online-only calendar's items, which are never stored.
 * @param {calICalendar | CalProviderBase} provider
 * @param {calIItemBase} item
 */
function markItipDefault(provider, item) {
  if (!serverSends(provider) && isOwnMeeting(provider, item)) {
    defaultItipChoice(item);
  }
}
