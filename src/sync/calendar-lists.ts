/**
 * BlueMind's "Mes calendriers" and "Autres calendriers", and its "Mes listes de tâches" and
 * "Autres listes de tâches", built exactly as its preferences page builds them
 * (docs/bluemind-rules.md, "The two lists"; the same `getContainers(type)` for both kinds):
 * mine = every container of that type the user owns, subscribed or not, defaults first then by
 * name; others = other owners' containers the user manages, plus the subscribed ones of other
 * owners (users and domain calendars), sorted by name. Pure: the BlueMind calls are made by the
 * caller.
 */

import { DEFAULT_TODO_LIST_NAME } from "../bluemind/todo-types";
import type { ContainerDescriptor, ContainerSubscriptionModel, Verb } from "../bluemind/types";
import type { ContainerKind } from "./calendar-identity";

export interface CalendarEntry {
  uid: string;
  /** A calendar (events) or a todo list (tasks). */
  containerType: ContainerKind;
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

/** The two lists of one container type. */
export interface CalendarLists {
  mine: CalendarEntry[];
  others: CalendarEntry[];
}

/** Everything the options page shows: the calendars' two lists and the todo lists' two. */
export interface AccountLists extends CalendarLists {
  myTodoLists: CalendarEntry[];
  otherTodoLists: CalendarEntry[];
}

export interface CalendarListsInput {
  userUid: string;
  /** Which lists to build; default "calendar". */
  containerType?: ContainerKind;
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
/** The uid prefixes by which the preferences page knows default containers (container.js, isDefault). */
const DEFAULT_PREFIXES = ["calendar:Default:", "book:Contacts_", "book:CollectedContacts_", "todolist:default_"];

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
    containerType: descriptor.type === "todolist" ? "todolist" : "calendar",
    subscribed: subscribedUids.has(descriptor.uid),
    offlineSync: subscribedUids.has(descriptor.uid) && descriptor.offlineSync,
    // Recomputed from the uid prefix, as the preferences page does.
    defaultContainer: DEFAULT_PREFIXES.some((prefix) => descriptor.uid.startsWith(prefix)),
    managed: isManaged(descriptor),
  };
}

const byName = (a: CalendarEntry, b: CalendarEntry): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.uid.localeCompare(b.uid);

export function buildCalendarLists(input: CalendarListsInput): CalendarLists {
  const type = input.containerType ?? "calendar";
  const subscribedUids = new Set(input.subscriptions.filter((s) => s.containerType === type).map((s) => s.containerUid));

  const mine = input.owned
    .filter((d) => d.type === type && d.owner === input.userUid)
    .map((d) => toEntry(d, subscribedUids))
    .sort((a, b) => Number(b.defaultContainer) - Number(a.defaultContainer) || byName(a, b));

  const managedOthers = input.manageable.filter((d) => d.type === type && d.owner !== input.userUid && isManaged(d));
  const managedUids = new Set(managedOthers.map((d) => d.uid));
  const subscribedOtherUids = new Set(
    input.subscriptions.filter((s) => s.containerType === type && s.owner !== input.userUid).map((s) => s.containerUid),
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
  return fresh.name === entry.name && fresh.color === entry.color && fresh.readOnly === entry.readOnly && fresh.canRead === entry.canRead;
}

/** Every entry of the lists, calendars first. */
export function allEntries(lists: CalendarLists | AccountLists): CalendarEntry[] {
  const todo = "myTodoLists" in lists ? [...lists.myTodoLists, ...lists.otherTodoLists] : [];
  return [...lists.mine, ...lists.others, ...todo];
}

/**
 * The calendars Thunderbird must show, todo lists included: subscribed and readable (a
 * Freebusy share has no events to show).
 */
export function calendarsForThunderbird(lists: CalendarLists | AccountLists): CalendarEntry[] {
  return allEntries(lists).filter((entry) => entry.subscribed && entry.canRead);
}

/**
 * A container's name as BlueMind's UI shows it: the default todo list's internal name
 * `$$mytasks$$` is shown as `myTasks` ("Mes tâches", "My tasks", "Meine Aufgaben").
 */
export function shownName(name: string, myTasks: string): string {
  return name === DEFAULT_TODO_LIST_NAME ? myTasks : name;
}
