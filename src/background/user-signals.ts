/**
 * What reaches the user outside the options page: the toolbar button (badge and tooltip,
 * one-click "Synchronise now") and notifications for what needs them (a synced calendar over
 * 9000 entries, a revoked key). Thin glue over messenger.browserAction / notifications.
 */

import type { ThunderbirdCalendars } from "../thunderbird/calendars";
import type { ServiceEvent } from "./account-service";
import type { AccountView } from "./protocol";
import { toolbarState } from "./toolbar";

const t = (key: string, substitutions: string[] = []): string => messenger.i18n.getMessage(key, substitutions);

/** Offline edits waiting in our cached calendars (shown as the badge count). */
async function pendingOfflineEdits(calendars: ThunderbirdCalendars): Promise<number> {
  let total = 0;
  for (const calendar of await calendars.list()) {
    if (calendar.cached) {
      total += (await calendars.cacheState(calendar.uri).catch(() => ({ pending: 0 }))).pending;
    }
  }
  return total;
}

/** Returns the function to call with each new view; updates are coalesced. */
export function connectToolbar(calendars: ThunderbirdCalendars, onClick: () => void): (view: AccountView) => void {
  messenger.browserAction.onClicked.addListener(() => onClick());
  let latest: AccountView | null = null;
  let scheduled = false;
  const apply = async (): Promise<void> => {
    scheduled = false;
    if (!latest) return;
    const state = toolbarState(latest, await pendingOfflineEdits(calendars), (kind) => t(`error_${kind}`));
    await messenger.browserAction.setBadgeText({ text: state.badge });
    await messenger.browserAction.setBadgeBackgroundColor({ color: state.color });
    await messenger.browserAction.setTitle({ title: t(state.title[0], state.title[1]) });
  };
  return (view) => {
    latest = view;
    if (!scheduled) {
      scheduled = true;
      setTimeout(() => void apply().catch(() => undefined), 300);
    }
  };
}

export function notifyUser(event: ServiceEvent): void {
  const notification =
    event.kind === "sizeWarning"
      ? { title: event.calendarName, message: t("tooFat", [new Intl.NumberFormat(messenger.i18n.getUILanguage()).format(event.count)]) }
      : { title: t("notifySignInTitle"), message: t("error_keyRevoked") };
  messenger.notifications
    .create(`bluemind-${event.kind}`, {
      type: "basic",
      iconUrl: messenger.runtime.getURL("icons/calendar-sync.svg"),
      ...notification,
    })
    .catch(() => undefined);
}
