/**
 * Fetches what BlueMind's preferences page fetches to build its two calendar lists and its two
 * todo-list lists (the same calls, with type=todolist), and the item counts behind the 9000
 * warning, then builds the lists with the rules of calendar-lists.ts (BlueMind client → sync:
 * src/bluemind imports nothing from here).
 */

import type { ContainerKind } from "./calendar-identity";
import { buildCalendarLists, type AccountLists, type CalendarEntry } from "./calendar-lists";
import { getContainers, itemCount, listContainers, listOwnerSubscriptions } from "../bluemind/containers";
import type { BlueMindHttp } from "../bluemind/http";

export interface BlueMindUser {
  uid: string;
  domainUid: string;
}

const KINDS: readonly ContainerKind[] = ["calendar", "todolist"];

/** Both kinds at once: one owner-subscriptions `_list`, two `_list` per kind, one `_mget` for all. */
export async function fetchCalendarLists(http: BlueMindHttp, user: BlueMindUser): Promise<AccountLists> {
  const [subscriptionItems, ...perKind] = await Promise.all([
    listOwnerSubscriptions(http, user.domainUid, user.uid),
    ...KINDS.map((type) =>
      Promise.all([listContainers(http, { type, owner: user.uid }), listContainers(http, { type, verb: ["Manage", "All"] })]),
    ),
  ]);
  const subscriptions = subscriptionItems.map((item) => item.value);
  const manageable = perKind.flatMap(([, managed]) => managed);
  const managedUids = new Set(manageable.filter((d) => d.owner !== user.uid).map((d) => d.uid));
  const otherUids = subscriptions
    .filter((s) => KINDS.includes(s.containerType as ContainerKind) && s.owner !== user.uid && !managedUids.has(s.containerUid))
    .map((s) => s.containerUid);
  const subscribedOthers = await getContainers(http, otherUids);
  const [calendars, todoLists] = KINDS.map((containerType, i) => {
    const [owned, managed] = perKind[i]!;
    return buildCalendarLists({ userUid: user.uid, containerType, owned, manageable: managed, subscriptions, subscribedOthers });
  });
  return { ...calendars!, myTodoLists: todoLists!.mine, otherTodoLists: todoLists!.others };
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
