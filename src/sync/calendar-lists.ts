/**
 * BlueMind's "Mes calendriers" and "Autres calendriers", built exactly as its preferences page
 * builds them (bluemind-api.md §4): mine = every calendar the user owns, subscribed or not,
 * defaults first then by name; others = other owners' calendars the user manages, plus the
 * subscribed calendars of other owners (users and domain calendars), sorted by name.
 * Pure: the BlueMind calls are made by the caller.
 */

import type { ContainerDescriptor, ContainerSubscriptionModel, Verb } from "../bluemind/types";

export interface CalendarEntry {
  uid: string;
  name: string;
  ownerUid: string;
  ownerDisplayName: string;
  /** BlueMind's web colour (`bm_color` personal setting), or null when the user never chose one. */
  color: string | null;
  verbs: Verb[];
  canRead: boolean;
  /** No Write right, or the container itself is read-only: Thunderbird must refuse edits. */
  readOnly: boolean;
  subscribed: boolean;
  /** BlueMind's "Synchronisation" switch. */
  offlineSync: boolean;
  defaultContainer: boolean;
  managed: boolean;
}

export interface CalendarLists {
  mine: CalendarEntry[];
  others: CalendarEntry[];
}

export interface CalendarListsInput {
  userUid: string;
  /** `_list {type: "calendar", owner: userUid}` */
  owned: ContainerDescriptor[];
  /** `_list {type: "calendar", verb: ["Manage", "All"]}` */
  manageable: ContainerDescriptor[];
  /** The user's owner-subscription items (IOwnerSubscriptions `_list`). */
  subscriptions: ContainerSubscriptionModel[];
  /** `_mget` of the subscribed calendars of other owners. */
  subscribedOthers: ContainerDescriptor[];
}

const READ_VERBS: ReadonlySet<Verb> = new Set<Verb>(["Read", "ReadExtended", "Write", "All"]);
const WRITE_VERBS: ReadonlySet<Verb> = new Set<Verb>(["Write", "All"]);
const MANAGE_VERBS: ReadonlySet<Verb> = new Set<Verb>(["Manage", "All"]);
const DEFAULT_CALENDAR_PREFIX = "calendar:Default:";

function hasAny(verbs: Verb[], wanted: ReadonlySet<Verb>): boolean {
  return verbs.some((verb) => wanted.has(verb));
}

export function isManaged(descriptor: ContainerDescriptor): boolean {
  return hasAny(descriptor.verbs, MANAGE_VERBS);
}

function toEntry(descriptor: ContainerDescriptor, subscribedUids: ReadonlySet<string>): CalendarEntry {
  const color = descriptor.settings?.["bm_color"];
  return {
    uid: descriptor.uid,
    name: descriptor.name,
    ownerUid: descriptor.owner,
    ownerDisplayName: descriptor.ownerDisplayname,
    color: color && color.trim() !== "" ? color : null,
    verbs: descriptor.verbs,
    canRead: hasAny(descriptor.verbs, READ_VERBS),
    readOnly: !hasAny(descriptor.verbs, WRITE_VERBS) || descriptor.readOnly,
    subscribed: subscribedUids.has(descriptor.uid),
    offlineSync: subscribedUids.has(descriptor.uid) && descriptor.offlineSync,
    // Recomputed from the uid prefix, as the preferences page does.
    defaultContainer: descriptor.uid.startsWith(DEFAULT_CALENDAR_PREFIX),
    managed: isManaged(descriptor),
  };
}

const byName = (a: CalendarEntry, b: CalendarEntry): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.uid.localeCompare(b.uid);

export function buildCalendarLists(input: CalendarListsInput): CalendarLists {
  const subscribedUids = new Set(
    input.subscriptions.filter((s) => s.containerType === "calendar").map((s) => s.containerUid),
  );

  const mine = input.owned
    .filter((d) => d.type === "calendar" && d.owner === input.userUid)
    .map((d) => toEntry(d, subscribedUids))
    .sort((a, b) => Number(b.defaultContainer) - Number(a.defaultContainer) || byName(a, b));

  const managedOthers = input.manageable.filter(
    (d) => d.type === "calendar" && d.owner !== input.userUid && isManaged(d),
  );
  const managedUids = new Set(managedOthers.map((d) => d.uid));
  const subscribedOtherUids = new Set(
    input.subscriptions
      .filter((s) => s.containerType === "calendar" && s.owner !== input.userUid)
      .map((s) => s.containerUid),
  );
  const subscribedOthers = input.subscribedOthers.filter(
    (d) => subscribedOtherUids.has(d.uid) && d.owner !== input.userUid && !managedUids.has(d.uid),
  );
  const others = [...managedOthers, ...subscribedOthers].map((d) => toEntry(d, subscribedUids)).sort(byName);

  return { mine, others };
}

/**
 * Whether a freshly read descriptor (`_mget`) still gives this entry: name, colour and rights.
 * The owner-subscriptions changeset does not move when a colour or an ACL changes.
 */
export function stillDescribes(entry: CalendarEntry, descriptor: ContainerDescriptor | undefined): boolean {
  if (!descriptor) {
    return false;
  }
  const fresh = toEntry(descriptor, new Set(entry.subscribed ? [entry.uid] : []));
  return (
    fresh.name === entry.name &&
    fresh.color === entry.color &&
    fresh.readOnly === entry.readOnly &&
    fresh.canRead === entry.canRead
  );
}

/** The calendars Thunderbird must show: subscribed and readable (a Freebusy share has no events to show). */
export function calendarsForThunderbird(lists: CalendarLists): CalendarEntry[] {
  return [...lists.mine, ...lists.others].filter((entry) => entry.subscribed && entry.canRead);
}
