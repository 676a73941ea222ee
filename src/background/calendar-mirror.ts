/**
 * BlueMind's lists as last read (calendars and todo lists, their item counts, the
 * owner-subscriptions version they were read at) and Thunderbird's calendars made to mirror
 * them: one per subscribed, readable container, with its name, colour, rights and cache mode
 * (todo lists are task calendars). Why apart: this is the state every operation of the
 * account service ends by changing, and the one place that creates, changes or removes our
 * Thunderbird calendars; when that happens (a sign-in, a poll, a switch) is decided by the
 * service and server-watch.ts.
 */

import { ownerSubscriptionsVersion } from "../bluemind/containers";
import type { BlueMindHttp } from "../bluemind/http";
import { calendarName, calendarUri, containerUidFromUri, displayColor } from "../sync/calendar-identity";
import { fetchCalendarLists, fetchItemCounts } from "../sync/calendar-directory";
import { allEntries, calendarsForThunderbird, shownName, type AccountLists, type CalendarEntry } from "../sync/calendar-lists";
import type { CalendarSpec } from "../sync/calendar-spec";
import { planReconcile } from "../sync/reconcile";
import { needsSizeWarning } from "../sync/size-warning";
import { applyPlan, type ThunderbirdCalendars } from "../thunderbird/calendars";
import type { StoredAccount } from "./account-store";
import type { UnsentEditsGuard } from "./unsent-edits";

export interface CalendarMirrorDeps {
  calendars: ThunderbirdCalendars;
  guard: UnsentEditsGuard;
  /** Calendars waiting to switch off: they stay cached until their edits are sent. */
  waitingForEdits(): ReadonlySet<string>;
  /** BlueMind's ">9000" notification, for a calendar just switched on. */
  warnTooBig(calendarName: string, count: number): void;
  /** BlueMind's "Mes tâches" in the user's language: the name shown for a default todo list (`$$mytasks$$`). */
  myTasksName?: string;
}

const EMPTY_LISTS: AccountLists = { mine: [], others: [], myTodoLists: [], otherTodoLists: [] };

export class CalendarMirror {
  private current: AccountLists = EMPTY_LISTS;
  private itemCounts = new Map<string, number | null>();
  /** Calendars gone from BlueMind (or unsubscribed) that Thunderbird keeps for their unsent edits. */
  private kept: string[] = [];
  /** Owner-subscriptions version seen at the last read: a poll compares against it. */
  private version: number | null = null;

  constructor(private readonly deps: CalendarMirrorDeps) {}

  get lists(): AccountLists {
    return this.current;
  }

  get counts(): ReadonlyMap<string, number | null> {
    return this.itemCounts;
  }

  get keptForEdits(): readonly string[] {
    return this.kept;
  }

  /** Null until the lists are read once after start-up (the first poll reads them). */
  get subscriptionsVersion(): number | null {
    return this.version;
  }

  entry(uid: string): CalendarEntry | undefined {
    return allEntries(this.current).find((e) => e.uid === uid);
  }

  /** The Thunderbird URIs of the calendars shown. */
  uris(account: StoredAccount): string[] {
    return calendarsForThunderbird(this.current).map((entry) => calendarUri(account.serverUrl, entry.uid, entry.containerType));
  }

  /**
   * The Thunderbird URI of a container: its kind is the entry's, or, before BlueMind's lists
   * were read (just after start), that of the Thunderbird calendar already there for it.
   */
  async uriOf(account: StoredAccount, uid: string): Promise<string> {
    const kind = this.entry(uid)?.containerType;
    if (kind) return calendarUri(account.serverUrl, uid, kind);
    const existing = (await this.deps.calendars.list()).find((c) => containerUidFromUri(account.serverUrl, c.uri) === uid);
    return existing?.uri ?? calendarUri(account.serverUrl, uid);
  }

  /** Reads the lists and their counts again; the calendars just switched on get the 9000 warning. */
  async readLists(http: BlueMindHttp, account: StoredAccount, switchedOn: readonly string[]): Promise<void> {
    const [version, lists] = await Promise.all([
      ownerSubscriptionsVersion(http, account.domainUid, account.userUid),
      fetchCalendarLists(http, { uid: account.userUid, domainUid: account.domainUid }),
    ]);
    this.itemCounts = await fetchItemCounts(http, allEntries(lists));
    this.current = lists;
    for (const uid of switchedOn) {
      const entry = this.entry(uid);
      if (entry) this.warnIfTooBig(entry);
    }
    this.version = version;
  }

  /** BlueMind accepted a switch: this calendar is now subscribed with the new flag (as in BlueMind, switching an unsubscribed own calendar subscribes it). */
  async switched(http: BlueMindHttp, containerUid: string, offlineSync: boolean): Promise<void> {
    const update = (entry: CalendarEntry): CalendarEntry =>
      entry.uid === containerUid ? { ...entry, subscribed: true, offlineSync } : entry;
    const lists = this.current;
    this.current = {
      mine: lists.mine.map(update),
      others: lists.others.map(update),
      myTodoLists: lists.myTodoLists.map(update),
      otherTodoLists: lists.otherTodoLists.map(update),
    };
    const entry = this.entry(containerUid);
    if (offlineSync && entry) {
      const counts = await fetchItemCounts(http, [entry]);
      this.itemCounts.set(containerUid, counts.get(containerUid) ?? null);
      this.warnIfTooBig(entry);
    }
  }

  /** Thunderbird's calendars made to match the lists, except what would lose unsent edits (unsent-edits.ts). */
  async reconcile(account: StoredAccount): Promise<void> {
    const waiting = this.deps.waitingForEdits();
    const desired: CalendarSpec[] = calendarsForThunderbird(this.current).map((entry) => ({
      uri: calendarUri(account.serverUrl, entry.uid, entry.containerType),
      name: calendarName(this.shownName(entry)),
      color: displayColor(entry.uid, entry.color),
      readOnly: entry.readOnly,
      // A calendar waiting to switch off stays cached until its edits are sent.
      cached: entry.offlineSync || waiting.has(entry.uid),
    }));
    const existing = await this.deps.calendars.list();
    // Removing a cached calendar or turning its cache off throws its cache away (unsent-edits.ts).
    const { plan, kept } = await this.deps.guard.safePlan(planReconcile(desired, existing), existing);
    this.kept = kept;
    await applyPlan(this.deps.calendars, plan);
  }

  /** Signing out: every calendar of ours leaves Thunderbird (their unsent edits were pushed first). */
  async removeAll(): Promise<void> {
    for (const calendar of await this.deps.calendars.list()) {
      await this.deps.calendars.remove(calendar.uri);
    }
  }

  /** Signed out: nothing is shown or kept any more (the version stays, as the next sign-in reads the lists anyway). */
  forget(): void {
    this.current = EMPTY_LISTS;
    this.itemCounts = new Map();
    this.kept = [];
  }

  /** The name BlueMind's UI shows (a default todo list is "My tasks" in the user's language). */
  private shownName(entry: CalendarEntry): string {
    return shownName(entry.name, this.deps.myTasksName ?? "My tasks");
  }

  private warnIfTooBig(entry: CalendarEntry): void {
    const count = this.itemCounts.get(entry.uid) ?? null;
    if (count !== null && needsSizeWarning(entry.offlineSync, count)) {
      this.deps.warnTooBig(this.shownName(entry), count);
    }
  }
}
