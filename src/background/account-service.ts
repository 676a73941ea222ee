/**
 * The add-on's one account and everything done with it, as one facade over modules of one
 * concern each: sign-in (the three ways in, browser-sign-in.ts; the key read once per
 * session), the Synchronisation switches and their queue (sync-switches.ts), following the
 * server (server-watch.ts), the unsent-edits guard (unsent-edits.ts) and the page's view
 * model (account-view.ts). What stays here is the state they share: the account, BlueMind's
 * lists and counts, and reconciliation of Thunderbird's calendars (todo lists are task
 * calendars) after each change. Operations run one at a time. Nothing ever drops a calendar,
 * or flips its cache mode, while it holds offline edits that BlueMind has not received.
 * Collaborators are injected, so it runs in Node tests with fakes at the messenger boundary.
 */

import { signIn as bluemindSignIn, signInWithApiKey, type SignInResult } from "../bluemind/auth";
import type { AnyContainerItems } from "../bluemind/container-items";
import { ownerSubscriptionsVersion } from "../bluemind/containers";
import type { Directory } from "../bluemind/directory";
import { BlueMindError, toErrorReport, type ErrorReport } from "../bluemind/errors";
import type { BlueMindHttp } from "../bluemind/http";
import { calendarName, calendarUri, containerUidFromUri, displayColor } from "../sync/calendar-identity";
import { fetchCalendarLists, fetchItemCounts } from "../sync/calendar-directory";
import { allEntries, calendarsForThunderbird, shownName, type AccountLists, type CalendarEntry } from "../sync/calendar-lists";
import { planReconcile, type CalendarState } from "../sync/reconcile";
import { needsSizeWarning } from "../sync/size-warning";
import { applyPlan, type ThunderbirdCalendars } from "../thunderbird/calendars";
import type { SecretStore } from "../thunderbird/secrets";
import { AccountSession } from "./account-session";
import type { AccountStore, KeySource, StoredAccount, StoredStatus } from "./account-store";
import { buildAccountView } from "./account-view";
import { signInThroughBrowser, type SignInBrowser } from "./browser-sign-in";
import { CalendarActivity } from "./calendar-activity";
import type { ServerPolicy } from "./managed-settings";
import { clampPollMinutes, DEFAULT_POLL_MINUTES } from "./poller";
import type { AccountView } from "./protocol";
import { listsMoved } from "./server-watch";
import { SyncSwitches } from "./sync-switches";
import { UnsentEditsGuard } from "./unsent-edits";

/** Things the user must hear about even with the options page closed. */
export type ServiceEvent = { kind: "sizeWarning"; calendarName: string; count: number } | { kind: "signInNeeded" };

export interface AccountServiceDeps {
  store: AccountStore;
  secrets: SecretStore;
  calendars: ThunderbirdCalendars;
  /** An HTTP client for this origin, with this key (null: anonymous). */
  connect(origin: string, apiKey: string | null): BlueMindHttp;
  /** Sent as `origin` at login, so BlueMind's admin sees which client signed in. */
  clientOrigin: string;
  /** Display name of the permanent API key created at sign-in. */
  keyDisplayName: string;
  now(): number;
  onChange(view: AccountView): void;
  notify?(event: ServiceEvent): void;
  /** The server address preset by the administrator (enterprise policy), if any. */
  serverPolicy?(): Promise<ServerPolicy | null>;
  /** BlueMind's "Mes tâches" in the user's language: the name shown for a default todo list (`$$mytasks$$`). */
  myTasksName?: string;
  /** "Sign in with your browser": a Thunderbird window, and fetch with its cookie jar. */
  browser?: SignInBrowser;
}

const EMPTY_LISTS: AccountLists = { mine: [], others: [], myTodoLists: [], otherTodoLists: [] };

export class AccountService {
  readonly activity: CalendarActivity;
  private readonly session: AccountSession;
  private status: StoredStatus = { lastRefresh: null, lastError: null };
  private signInDefaults: AccountView["signInDefaults"] = null;
  private serverPolicy: ServerPolicy | null = null;
  private lists: AccountLists = EMPTY_LISTS;
  private counts = new Map<string, number | null>();
  /** Calendars gone from BlueMind (or unsubscribed) that Thunderbird keeps for their unsent edits. */
  private keptForEdits: string[] = [];
  private readonly guard: UnsentEditsGuard;
  private readonly switches: SyncSwitches;
  private notice: ErrorReport | null = null;
  private userKeyKept = false;
  private pollMinutes = DEFAULT_POLL_MINUTES;
  /** Owner-subscriptions version seen at the last refresh: a poll compares against it. */
  private subscriptionsVersion: number | null = null;
  private signInNeededNotified = false;
  private busy = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AccountServiceDeps) {
    this.activity = new CalendarActivity(
      () => deps.now(),
      () => deps.onChange(this.view()),
    );
    this.session = new AccountSession(deps);
    this.guard = new UnsentEditsGuard(deps.calendars);
    this.switches = new SyncSwitches(deps.store, deps.calendars, this.guard, {
      entry: (uid) => this.entry(uid),
      uriOf: (account, uid) => this.uriOf(account, uid),
      switched: (account, http, uid, offlineSync) => this.switched(account, http, uid, offlineSync),
      recordError: (error) => this.recordError(error),
      report: (notice) => {
        this.notice = notice;
      },
    });
  }

  /**
   * Loads the stored account, without a request: Thunderbird keeps our calendars, and the
   * first poll (after the random start-up delay) reads BlueMind again.
   */
  start(): Promise<void> {
    return this.exclusive(async () => {
      const stored = await this.deps.store.load();
      this.session.restore(stored.account ?? null);
      this.status = stored.status ?? { lastRefresh: null, lastError: null };
      this.signInDefaults = stored.signInDefaults ?? null;
      this.serverPolicy = (await this.deps.serverPolicy?.()) ?? null;
      this.switches.load(stored);
      this.pollMinutes = clampPollMinutes(stored.settings?.pollMinutes ?? DEFAULT_POLL_MINUTES);
    });
  }

  /** The options page opened before the first poll: read BlueMind now, the user is looking. */
  async loadIfNeeded(): Promise<void> {
    if (this.session.account && this.subscriptionsVersion === null && !this.busy) {
      await this.exclusive(() => this.refresh()).catch(() => undefined);
    }
  }

  view(): AccountView {
    return buildAccountView({
      account: this.session.account,
      lists: this.lists,
      counts: this.counts,
      queued: this.switches.queued,
      waitingForEdits: this.switches.waitingForEdits,
      activity: this.activity,
      status: this.status,
      busy: this.busy,
      signInDefaults: this.signInDefaults,
      serverPolicy: this.serverPolicy,
      notice: this.notice,
      userKeyKept: this.userKeyKept,
      pollMinutes: this.pollMinutes,
      keptForEdits: this.keptForEdits,
    });
  }

  get pollIntervalMinutes(): number {
    return this.pollMinutes;
  }

  async setPollMinutes(minutes: number): Promise<number> {
    this.pollMinutes = clampPollMinutes(minutes);
    await this.deps.store.saveSettings({ pollMinutes: this.pollMinutes });
    this.deps.onChange(this.view());
    return this.pollMinutes;
  }

  /**
   * The periodic check: owner-subscriptions `_changeset` since the version of the last refresh
   * (moves on a (un)subscription, a Synchronisation switch or a rename made in BlueMind), then
   * `_mget` of the calendars shown (a colour or a right changed). Only when something moved
   * are the lists re-read and Thunderbird reconciled. A failure is recorded and rethrown, so
   * the poller backs off.
   */
  async poll(): Promise<void> {
    if (!this.session.account || this.busy) {
      return;
    }
    if (!(await this.somethingMoved())) {
      // A check that found nothing new is still a check: the status line's time moves, and an
      // error shown before is over (BlueMind answers again).
      await this.markRefreshed();
      this.deps.onChange(this.view());
      return;
    }
    // refresh() records its own failure.
    await this.exclusive(() => this.refresh());
  }

  /** The poll's cheap requests (server-watch.ts): whether the lists must be read again. A failure is recorded. */
  private async somethingMoved(): Promise<boolean> {
    try {
      if (this.subscriptionsVersion === null || this.switches.queued.size > 0) {
        return true;
      }
      const { account, http } = await this.session.open();
      return await listsMoved(http, account, this.subscriptionsVersion, this.lists);
    } catch (error) {
      await this.recordError(error);
      this.deps.onChange(this.view());
      throw error;
    }
  }

  async reloadDefaults(): Promise<void> {
    this.signInDefaults = (await this.deps.store.load()).signInDefaults ?? null;
  }

  /** Password sign-in: the password makes our key once and is forgotten. */
  signIn(serverUrlInput: string, login: string, password: string): Promise<void> {
    return this.signInBy(serverUrlInput, "addon", (http) =>
      bluemindSignIn(http, login, password, this.deps.clientOrigin, this.deps.keyDisplayName),
    );
  }

  /** A key the user made in BlueMind (Préférences › Mon compte › Sécurité › Clé d'API). */
  signInWithKey(serverUrlInput: string, apiKey: string): Promise<void> {
    return this.signInBy(serverUrlInput, "user", (http) => signInWithApiKey(http, apiKey));
  }

  /** BlueMind's own login page in a Thunderbird window (browser-sign-in.ts). */
  signInWithBrowser(serverUrlInput: string): Promise<void> {
    const browser = this.deps.browser;
    if (!browser) {
      return Promise.reject(new BlueMindError("refused", "no browser to sign in with"));
    }
    return this.signInBy(serverUrlInput, "addon", (http, origin) =>
      signInThroughBrowser(http, origin, browser, () => this.deps.now(), this.deps.keyDisplayName),
    );
  }

  /** What the three ways in share (account-session.ts), then the first refresh. */
  private signInBy(
    serverUrlInput: string,
    keySource: KeySource,
    obtain: (http: BlueMindHttp, origin: string) => Promise<SignInResult>,
  ): Promise<void> {
    return this.exclusive(async () => {
      const account = await this.session.establish(serverUrlInput, keySource, obtain);
      this.signInDefaults = { serverUrl: account.serverUrl, login: account.login };
      this.notice = null;
      this.userKeyKept = false;
      await this.refresh();
    });
  }

  /** Revokes the key on the server, removes our calendars, forgets the account. */
  signOut(): Promise<void> {
    return this.exclusive(async () => {
      const account = this.session.account;
      if (!account) {
        return;
      }
      // Offline edits are pushed first; if that is impossible, nothing is removed.
      for (const calendar of await this.deps.calendars.list()) {
        if (!(await this.guard.push(calendar.uri))) {
          throw new BlueMindError("pendingEdits", `${calendar.name} holds edits not sent to BlueMind`);
        }
      }
      // A key the user made in BlueMind is theirs: it stays, and the page says where to delete it.
      this.userKeyKept = account.keySource === "user";
      // What failed is reported so the user can revoke the key in BlueMind.
      this.notice = await this.session.revoke(account);
      for (const calendar of await this.deps.calendars.list()) {
        await this.deps.calendars.remove(calendar.uri);
      }
      await this.session.forget(account);
      this.lists = EMPTY_LISTS;
      this.counts = new Map();
      this.switches.forgetAll();
      this.keptForEdits = [];
      this.activity.clear();
      this.status = { lastRefresh: null, lastError: null };
    });
  }

  /**
   * "Synchroniser maintenant": re-reads BlueMind and reconciles, then has Thunderbird refresh
   * every calendar (offline edits pushed first, then server changes pulled; each row shows
   * its own progress), then applies the switch-offs that were waiting for those edits.
   */
  async syncNow(): Promise<void> {
    await this.exclusive(() => this.refresh());
    const account = this.session.require();
    for (const entry of calendarsForThunderbird(this.lists)) {
      await this.deps.calendars.refresh(calendarUri(account.serverUrl, entry.uid, entry.containerType));
    }
    await this.exclusive(() => this.applyDeferredSwitches());
  }

  /** Writes the Synchronisation switch to BlueMind (sync-switches.ts); Thunderbird follows once the server accepted it. */
  setSync(containerUid: string, offlineSync: boolean): Promise<void> {
    return this.exclusive(async () => {
      const { account, http } = await this.session.open();
      await this.switches.set(account, http, containerUid, offlineSync);
    });
  }

  /** BlueMind's client for the calendar or todo list behind a Thunderbird calendar URI. */
  calendarItems(uri: string): Promise<AnyContainerItems> {
    return this.session.calendarItems(uri);
  }

  /** BlueMind's directory and free/busy, as the signed-in user (scheduling). */
  directory(): Promise<Directory> {
    return this.session.directory();
  }

  /** The user's mailboxCopyGuid now (`GET /api/auth`). */
  mailboxCopyGuid(): Promise<string | null> {
    return this.session.mailboxCopyGuid();
  }

  /** The container uid behind a Thunderbird calendar URI of this account, if any. */
  containerUidOf(uri: string): string | null {
    return this.session.containerUidOf(uri);
  }

  /** The name BlueMind's UI shows (a default todo list is "My tasks" in the user's language). */
  private shownName(entry: CalendarEntry): string {
    return shownName(entry.name, this.deps.myTasksName ?? "My tasks");
  }

  private entry(uid: string): CalendarEntry | undefined {
    return allEntries(this.lists).find((e) => e.uid === uid);
  }

  /**
   * The Thunderbird URI of a container: its kind is the entry's, or, before BlueMind's lists
   * were read (just after start), that of the Thunderbird calendar already there for it.
   */
  private async uriOf(account: StoredAccount, uid: string): Promise<string> {
    const kind = this.entry(uid)?.containerType;
    if (kind) return calendarUri(account.serverUrl, uid, kind);
    const existing = (await this.deps.calendars.list()).find((c) => containerUidFromUri(account.serverUrl, c.uri) === uid);
    return existing?.uri ?? calendarUri(account.serverUrl, uid);
  }

  /** BlueMind accepted a switch: this calendar is now subscribed with the new flag (as in BlueMind, switching an unsubscribed own calendar subscribes it). */
  private async switched(account: StoredAccount, http: BlueMindHttp, containerUid: string, offlineSync: boolean): Promise<void> {
    const update = (entry: CalendarEntry): CalendarEntry =>
      entry.uid === containerUid ? { ...entry, subscribed: true, offlineSync } : entry;
    const lists = this.lists;
    this.lists = {
      mine: lists.mine.map(update),
      others: lists.others.map(update),
      myTodoLists: lists.myTodoLists.map(update),
      otherTodoLists: lists.otherTodoLists.map(update),
    };
    const entry = this.entry(containerUid);
    if (offlineSync && entry) {
      const counts = await fetchItemCounts(http, [entry]);
      this.counts.set(containerUid, counts.get(containerUid) ?? null);
      this.warnIfTooBig(entry);
    }
    await this.reconcile(account);
    await this.markRefreshed();
  }

  /** BlueMind's ">9000" notification, for a calendar just switched on. */
  private warnIfTooBig(entry: CalendarEntry): void {
    const count = this.counts.get(entry.uid) ?? null;
    if (count !== null && needsSizeWarning(entry.offlineSync, count)) {
      this.deps.notify?.({ kind: "sizeWarning", calendarName: this.shownName(entry), count });
    }
  }

  /** BlueMind answered and Thunderbird follows it: the status shows this refresh, no error. */
  private async markRefreshed(): Promise<void> {
    this.status = { lastRefresh: this.deps.now(), lastError: null };
    await this.deps.store.saveStatus(this.status);
  }

  /** Switches off the calendars that were waiting for their offline edits to be sent. */
  private async applyDeferredSwitches(): Promise<void> {
    if (this.switches.waitingForEdits.size === 0) {
      return;
    }
    const { account, http } = await this.session.open();
    await this.switches.applyDeferred(account, http);
  }

  /** After a calendar synced: switch-offs that were waiting for its edits may proceed now. */
  calendarSynced(): void {
    if (this.switches.waitingForEdits.size > 0) {
      this.exclusive(() => this.applyDeferredSwitches()).catch(() => undefined);
    }
  }

  private async refresh(): Promise<void> {
    try {
      const { account, http } = await this.session.open();
      const switchedOn = await this.switches.sendQueued(account, http);
      const [version, lists] = await Promise.all([
        ownerSubscriptionsVersion(http, account.domainUid, account.userUid),
        fetchCalendarLists(http, { uid: account.userUid, domainUid: account.domainUid }),
      ]);
      this.counts = await fetchItemCounts(http, allEntries(lists));
      this.lists = lists;
      for (const uid of switchedOn) {
        const entry = this.entry(uid);
        if (entry) this.warnIfTooBig(entry);
      }
      this.subscriptionsVersion = version;
      this.signInNeededNotified = false;
      await this.reconcile(account);
      await this.markRefreshed();
    } catch (error) {
      await this.recordError(error);
      throw error;
    }
  }

  private async reconcile(account: StoredAccount): Promise<void> {
    const desired: CalendarState[] = calendarsForThunderbird(this.lists).map((entry) => ({
      uri: calendarUri(account.serverUrl, entry.uid, entry.containerType),
      name: calendarName(this.shownName(entry)),
      color: displayColor(entry.uid, entry.color),
      readOnly: entry.readOnly,
      // A calendar waiting to switch off stays cached until its edits are sent.
      cached: entry.offlineSync || this.switches.waitingForEdits.has(entry.uid),
    }));
    const existing = await this.deps.calendars.list();
    // Removing a cached calendar or turning its cache off throws its cache away (unsent-edits.ts).
    const { plan, kept } = await this.guard.safePlan(planReconcile(desired, existing), existing);
    this.keptForEdits = kept;
    await applyPlan(this.deps.calendars, plan);
  }

  private async recordError(error: unknown): Promise<void> {
    this.status = { ...this.status, lastError: toErrorReport(error) };
    await this.deps.store.saveStatus(this.status);
    if (error instanceof BlueMindError && error.kind === "keyRevoked" && this.session.account && !this.signInNeededNotified) {
      // Once per occurrence: the calendars stay, the user must sign in again.
      this.signInNeededNotified = true;
      this.deps.notify?.({ kind: "signInNeeded" });
    }
  }

  /** Runs operations one after another, and tells the page when one starts and ends. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.busy = true;
      this.deps.onChange(this.view());
      try {
        return await operation();
      } finally {
        this.busy = false;
        this.deps.onChange(this.view());
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
