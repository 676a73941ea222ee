/**
 * Fetches what BlueMind's preferences page fetches to build its two calendar lists, and the
 * item counts behind the 9000 warning. The list rules themselves live in sync/calendar-lists.
 */

import { buildCalendarLists, type CalendarEntry, type CalendarLists } from "../sync/calendar-lists";
import { getContainers, itemCount, listContainers, listOwnerSubscriptions } from "./containers";
import type { BlueMindHttp } from "./http";

export interface BlueMindUser {
  uid: string;
  domainUid: string;
}

export async function fetchCalendarLists(http: BlueMindHttp, user: BlueMindUser): Promise<CalendarLists> {
  const [subscriptionItems, owned, manageable] = await Promise.all([
    listOwnerSubscriptions(http, user.domainUid, user.uid),
    listContainers(http, { type: "calendar", owner: user.uid }),
    listContainers(http, { type: "calendar", verb: ["Manage", "All"] }),
  ]);
  const subscriptions = subscriptionItems.map((item) => item.value);
  const managedUids = new Set(manageable.filter((d) => d.owner !== user.uid).map((d) => d.uid));
  const otherUids = subscriptions
    .filter((s) => s.containerType === "calendar" && s.owner !== user.uid && !managedUids.has(s.containerUid))
    .map((s) => s.containerUid);
  const subscribedOthers = await getContainers(http, otherUids);
  return buildCalendarLists({ userUid: user.uid, owned, manageable, subscriptions, subscribedOthers });
}

/**
 * Item counts of the calendars the user can read (shown in each row; the 9000 warning uses
 * those whose Synchronisation is on). A count that cannot be read is reported as null rather
 * than failing the whole refresh.
 */
export async function fetchItemCounts(http: BlueMindHttp, entries: CalendarEntry[]): Promise<Map<string, number | null>> {
  const counted = entries.filter((entry) => entry.canRead);
  const totals = await Promise.all(counted.map((entry) => itemCount(http, entry.uid).catch(() => null)));
  return new Map(counted.map((entry, index) => [entry.uid, totals[index] ?? null]));
}
