/**
 * The add-on's one account and everything done with it: sign-in (API key only), the two
 * BlueMind calendar lists and the two todo-list lists, the Synchronisation switch written back
 * to BlueMind, and reconciliation of Thunderbird's calendars (todo lists are task calendars)
 * after each of those. Operations run one at a
 * time. Nothing here ever drops a calendar, or flips its cache mode, while it holds offline
 * edits that BlueMind has not received: those are pushed first, or the change waits.
 * Collaborators are injected, so it runs in Node tests with fakes at the messenger boundary.
 */

import { currentUser, revokeKey, signIn as bluemindSignIn, signInWithApiKey, signInWithSession, type SignInResult } from "../bluemind/auth";
import { fetchCalendarLists, fetchItemCounts } from "../sync/calendar-directory";
import { CalendarItems } from "../bluemind/calendar-items";
import type { AnyContainerItems } from "../bluemind/container-items";
import { TodoItems } from "../bluemind/todo-items";
import { getContainers, ownerSubscriptionsChangeset, ownerSubscriptionsVersion, subscribe } from "../bluemind/containers";
import { BlueMindError, isTransient, toErrorReport, type ErrorReport } from "../bluemind/errors";
import { Directory } from "../bluemind/directory";
import { apiPath, type BlueMindHttp } from "../bluemind/http";
import { endWebSession, readWebSession, type WebFetch } from "../bluemind/web-session";
import { normalizeServerUrl } from "../bluemind/server-url";
import { allEntries, calendarsForThunderbird, shownName, stillDescribes, type AccountLists, type CalendarEntry } from "../sync/calendar-lists";
import { calendarName, calendarUri, containerOfUri, containerUidFromUri, displayColor } from "../sync/calendar-identity";
import { planReconcile, type CalendarState, type ReconcilePlan } from "../sync/reconcile";
import { needsSizeWarning } from "../sync/size-warning";
import { applyPlan, type ThunderbirdCalendars } from "../thunderbird/calendars";
import type { SecretStore } from "../thunderbird/secrets";
import type { AccountStore, KeySource, StoredAccount, StoredStatus } from "./account-store";
import { waitForWebSession, type LoginWindowHandle } from "./browser-sign-in";
import { CalendarActivity } from "./calendar-activity";
import { checkServerAllowed, type ServerPolicy } from "./managed-settings";
import { clampPollMinutes, DEFAULT_POLL_MINUTES } from "./poller";
import type { AccountView, CalendarRowView } from "./protocol";

/** Things the user must hear about even with the options page closed. */
export type ServiceEvent =
  | { kind: "sizeWarning"; calendarName: string; count: number }
  | { kind: "signInNeeded" };

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
  browser?: {
    openWindow(url: string): Promise<LoginWindowHandle>;
    fetch: WebFetch;
    sleep(ms: number): Promise<void>;
    timeoutMs?: number;
  };
}

const EMPTY_LISTS: AccountLists = { mine: [], others: [], myTodoLists: [], otherTodoLists: [] };
const JOURNAL_SETTLE_CHECKS = 10;
const JOURNAL_SETTLE_DELAY_MS = 200;

export class AccountService {
  readonly activity: CalendarActivity;
  private account: StoredAccount | null = null;
  private status: StoredStatus = { lastRefresh: null, lastError: null };
  private signInDefaults: AccountView["signInDefaults"] = null;
  private serverPolicy: ServerPolicy | null = null;
  private lists: AccountLists = EMPTY_LISTS;
  private counts = new Map<string, number | null>();
  /** Calendars whose Synchronisation must go off once their offline edits are sent. */
  private deferredOff = new Set<string>();
  /** Calendars gone from BlueMind (or unsubscribed) that Thunderbird keeps for their unsent edits. */
  private keptForEdits: string[] = [];
  /** Switches flipped while BlueMind could not be reached; sent before the next refresh. */
  private pendingToggles = new Map<string, boolean>();
  private notice: ErrorReport | null = null;
  private userKeyKept = false;
  /** The API key, read from the login manager once per session (per account signed in). */
  private key: { account: StoredAccount; value: string } | null = null;
  private pollMinutes = DEFAULT_POLL_MINUTES;
  /** Owner-subscriptions version seen at the last refresh: a poll compares against it. */
  private subscriptionsVersion: number | null = null;
  private signInNeededNotified = false;
  private busy = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AccountServiceDeps) {
    this.activity = new CalendarActivity(() => deps.now(), () => deps.onChange(this.view()));
  }

  /**
   * Loads the stored account, without a request: Thunderbird keeps our calendars, and the
   * first poll (after the random start-up delay) reads BlueMind again.
   */
  start(): Promise<void> {
    return this.exclusive(async () => {
      const stored = await this.deps.store.load();
      this.account = stored.account ?? null;
      this.status = stored.status ?? { lastRefresh: null, lastError: null };
      this.signInDefaults = stored.signInDefaults ?? null;
      this.serverPolicy = (await this.deps.serverPolicy?.()) ?? null;
      this.deferredOff = new Set(stored.deferredOff ?? []);
      this.pendingToggles = new Map(Object.entries(stored.pendingToggles ?? {}));
      this.pollMinutes = clampPollMinutes(stored.settings?.pollMinutes ?? DEFAULT_POLL_MINUTES);
    });
  }

  /** The options page opened before the first poll: read BlueMind now, the user is looking. */
  async loadIfNeeded(): Promise<void> {
    if (this.account && this.subscriptionsVersion === null && !this.busy) {
      await this.exclusive(() => this.refresh()).catch(() => undefined);
    }
  }

  view(): AccountView {
    const row = (entry: CalendarEntry): CalendarRowView => {
      const itemCount = this.counts.get(entry.uid) ?? null;
      const queued = this.pendingToggles.get(entry.uid);
      const offlineSync = queued ?? entry.offlineSync;
      return {
        ...entry,
        offlineSync,
        itemCount,
        sizeWarning: needsSizeWarning(offlineSync, itemCount),
        activity: this.activity.of(entry.uid),
        waitingForOfflineEdits: this.deferredOff.has(entry.uid),
        toggleQueued: queued !== undefined,
      };
    };
    return {
      signedIn: this.account !== null,
      serverUrl: this.account?.serverUrl ?? null,
      login: this.account?.login ?? null,
      displayName: this.account?.displayName ?? null,
      keySource: this.account ? (this.account.keySource ?? "addon") : null,
      mine: this.lists.mine.map(row),
      others: this.lists.others.map(row),
      myTodoLists: this.lists.myTodoLists.map(row),
      otherTodoLists: this.lists.otherTodoLists.map(row),
      status: { ...this.status, busy: this.busy },
      signInDefaults: this.signInDefaults,
      serverPolicy: this.serverPolicy,
      notice: this.notice,
      userKeyKept: this.userKeyKept,
      conflicts: this.activity.conflicts,
      pollMinutes: this.pollMinutes,
      keptForEdits: [...this.keptForEdits],
    };
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
    if (!this.account || this.busy) {
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

  /** The poll's cheap requests: whether the lists must be read again. A failure is recorded. */
  private async somethingMoved(): Promise<boolean> {
    try {
      if (this.subscriptionsVersion === null || this.pendingToggles.size > 0) {
        return true;
      }
      const { account, http } = await this.session();
      const changes = await ownerSubscriptionsChangeset(http, account.domainUid, account.userUid, this.subscriptionsVersion);
      const moved =
        changes.version !== this.subscriptionsVersion ||
        changes.created.length + changes.updated.length + changes.deleted.length > 0;
      return moved || !(await this.calendarsUnchanged(http));
    } catch (error) {
      await this.recordError(error);
      this.deps.onChange(this.view());
      throw error;
    }
  }

  /** Names, colours and rights of the calendars shown are still what the last refresh read. */
  private async calendarsUnchanged(http: BlueMindHttp): Promise<boolean> {
    const shown = calendarsForThunderbird(this.lists);
    const descriptors = await getContainers(http, shown.map((entry) => entry.uid));
    const byUid = new Map(descriptors.map((descriptor) => [descriptor.uid, descriptor]));
    return shown.every((entry) => stillDescribes(entry, byUid.get(entry.uid)));
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

  /**
   * BlueMind's own login page in a Thunderbird window: the web session it opens makes our key,
   * then that session is ended (BlueMind's logout and the core session's) and the window closed.
   */
  signInWithBrowser(serverUrlInput: string): Promise<void> {
    const browser = this.deps.browser;
    if (!browser) {
      return Promise.reject(new BlueMindError("refused", "no browser to sign in with"));
    }
    return this.signInBy(serverUrlInput, "addon", async (http, origin) => {
      // Anonymous and cheap: says "not BlueMind" before a window shows someone else's page.
      await http.call<unknown>("GET", apiPath("system", "installation", "_infos"));
      const { session, window } = await waitForWebSession(
        {
          openWindow: (url) => browser.openWindow(url),
          readSession: () => readWebSession(origin, browser.fetch),
          sleep: (ms) => browser.sleep(ms),
          now: () => this.deps.now(),
          timeoutMs: browser.timeoutMs,
        },
        new URL("/", origin).href,
      );
      try {
        return await signInWithSession(http, session.sid, this.deps.keyDisplayName);
      } finally {
        await endWebSession(origin, browser.fetch);
        await window.close();
      }
    });
  }

  /** What the three ways in share: the administrator's lock, the key in the login manager, the first refresh. */
  private signInBy(
    serverUrlInput: string,
    keySource: KeySource,
    obtain: (http: BlueMindHttp, origin: string) => Promise<SignInResult>,
  ): Promise<void> {
    return this.exclusive(async () => {
      if (this.account) {
        throw new BlueMindError("refused", "already signed in; sign out first");
      }
      const origin = normalizeServerUrl(serverUrlInput);
      checkServerAllowed(origin, (await this.deps.serverPolicy?.()) ?? null);
      const result = await obtain(this.deps.connect(origin, null), origin);
      await this.deps.secrets.save(origin, result.login, result.apiKey.sid);
      const account: StoredAccount = {
        serverUrl: origin,
        login: result.login,
        userUid: result.user.uid,
        domainUid: result.user.domainUid,
        displayName: result.user.displayName,
        keySource,
      };
      await this.deps.store.saveAccount(account);
      this.account = account;
      this.key = { account, value: result.apiKey.sid };
      this.signInDefaults = { serverUrl: origin, login: result.login };
      this.notice = null;
      this.userKeyKept = false;
      await this.refresh();
    });
  }

  /** Revokes the key on the server, removes our calendars, forgets the account. */
  signOut(): Promise<void> {
    return this.exclusive(async () => {
      const account = this.account;
      if (!account) {
        return;
      }
      // Offline edits are pushed first; if that is impossible, nothing is removed.
      for (const calendar of await this.deps.calendars.list()) {
        if (!(await this.pushOfflineEdits(calendar.uri))) {
          throw new BlueMindError("pendingEdits", `${calendar.name} holds edits not sent to BlueMind`);
        }
      }
      this.notice = null;
      // A key the user made in BlueMind is theirs: it stays, and the page says where to delete it.
      this.userKeyKept = account.keySource === "user";
      const key = this.userKeyKept ? null : await this.deps.secrets.read(account.serverUrl, account.login);
      if (key) {
        try {
          await revokeKey(this.deps.connect(account.serverUrl, key), key);
        } catch (error) {
          // Already revoked is fine; anything else is reported so the user can revoke it in BlueMind.
          if (!(error instanceof BlueMindError && error.kind === "keyRevoked")) {
            this.notice = toErrorReport(error);
          }
        }
      }
      for (const calendar of await this.deps.calendars.list()) {
        await this.deps.calendars.remove(calendar.uri);
      }
      await this.deps.secrets.remove(account.serverUrl, account.login);
      this.key = null;
      await this.deps.store.clearAccount();
      this.account = null;
      this.lists = EMPTY_LISTS;
      this.counts = new Map();
      this.deferredOff.clear();
      this.pendingToggles.clear();
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
    const account = this.requireAccount();
    for (const entry of calendarsForThunderbird(this.lists)) {
      await this.deps.calendars.refresh(calendarUri(account.serverUrl, entry.uid, entry.containerType));
    }
    await this.exclusive(() => this.applyDeferredSwitches());
  }

  /** Writes the Synchronisation switch to BlueMind; Thunderbird follows once the server accepted it. */
  setSync(containerUid: string, offlineSync: boolean): Promise<void> {
    return this.exclusive(async () => {
      const { account, http } = await this.session();
      if (offlineSync && this.deferredOff.delete(containerUid)) {
        // Still on in BlueMind: cancelling the pending switch-off is enough.
        await this.saveDeferred();
        return;
      }
      const entry = this.entry(containerUid);
      if (await this.switchOffWaitsForEdits(account, entry, containerUid, offlineSync)) {
        return;
      }
      if (this.pendingToggles.has(containerUid) && entry?.offlineSync === offlineSync) {
        // Flipped back before it could be sent: nothing to send any more.
        this.pendingToggles.delete(containerUid);
        await this.savePendingToggles();
        return;
      }
      try {
        await this.writeSwitch(account, http, containerUid, offlineSync);
      } catch (error) {
        if (!isTransient(error)) {
          throw error;
        }
        // BlueMind cannot be reached: keep the wish, send it when it can be.
        this.pendingToggles.set(containerUid, offlineSync);
        await this.savePendingToggles();
      }
    });
  }

  /**
   * Sends the switches flipped while BlueMind could not be reached, before the lists are read
   * again (else BlueMind's old value would win). A switch-off waits for the calendar's offline
   * edits, as when flipped online. A refused switch is dropped and reported; an unreachable
   * server stops here and keeps the rest.
   */
  private async sendPendingToggles(account: StoredAccount, http: BlueMindHttp): Promise<string[]> {
    const switchedOn: string[] = [];
    for (const [containerUid, offlineSync] of [...this.pendingToggles]) {
      const entry = this.entry(containerUid);
      try {
        const waits = await this.switchOffWaitsForEdits(account, entry, containerUid, offlineSync);
        if (!waits && (entry?.offlineSync !== offlineSync || !entry.subscribed)) {
          await subscribe(http, account.domainUid, account.userUid, [{ containerUid, offlineSync }]);
          if (offlineSync) switchedOn.push(containerUid);
        }
      } catch (error) {
        if (isTransient(error)) {
          throw error;
        }
        this.notice = toErrorReport(error);
      }
      this.pendingToggles.delete(containerUid);
      await this.savePendingToggles();
    }
    return switchedOn;
  }

  /** BlueMind's client for the calendar or todo list behind a Thunderbird calendar URI. */
  async calendarItems(uri: string): Promise<AnyContainerItems> {
    const { account, http } = await this.session();
    const container = containerOfUri(account.serverUrl, uri);
    if (!container) {
      throw new BlueMindError("notFound", `${uri} is not a calendar of ${account.serverUrl}`);
    }
    return container.kind === "todolist" ? new TodoItems(http, container.uid) : new CalendarItems(http, container.uid);
  }

  /** BlueMind's directory and free/busy, as the signed-in user (scheduling). */
  async directory(): Promise<Directory> {
    const { account, http } = await this.session();
    return new Directory(http, account.domainUid, account.userUid);
  }

  /** The user's mailboxCopyGuid now (`GET /api/auth`): a new one means the mailbox was moved or restored. */
  async mailboxCopyGuid(): Promise<string | null> {
    const { http } = await this.session();
    return (await currentUser(http)).value?.mailboxCopyGuid ?? null;
  }

  /** The container uid behind a Thunderbird calendar URI of this account, if any. */
  containerUidOf(uri: string): string | null {
    return this.account ? containerUidFromUri(this.account.serverUrl, uri) : null;
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

  private async writeSwitch(account: StoredAccount, http: BlueMindHttp, containerUid: string, offlineSync: boolean): Promise<void> {
    try {
      await subscribe(http, account.domainUid, account.userUid, [{ containerUid, offlineSync }]);
    } catch (error) {
      await this.recordError(error);
      throw error;
    }
    // The server accepted: this calendar is now subscribed with the new flag (as in BlueMind,
    // switching an unsubscribed own calendar subscribes it).
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

  /**
   * A switch-off of a synced calendar that holds offline edits BlueMind has not received waits
   * for them (pushed first; if that fails, it joins deferredOff). True when it waits.
   */
  private async switchOffWaitsForEdits(
    account: StoredAccount,
    entry: CalendarEntry | undefined,
    containerUid: string,
    offlineSync: boolean,
  ): Promise<boolean> {
    if (offlineSync || !entry?.offlineSync || (await this.pushOfflineEdits(await this.uriOf(account, containerUid)))) {
      return false;
    }
    this.deferredOff.add(containerUid);
    await this.saveDeferred();
    return true;
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
    if (this.deferredOff.size === 0) {
      return;
    }
    const { account, http } = await this.session();
    for (const uid of [...this.deferredOff]) {
      const state = await this.deps.calendars.cacheState(await this.uriOf(account, uid));
      if (state.pending === 0) {
        this.deferredOff.delete(uid);
        try {
          await this.writeSwitch(account, http, uid, false);
        } catch (error) {
          this.deferredOff.add(uid);
          throw error;
        } finally {
          await this.saveDeferred();
        }
      }
    }
  }

  /**
   * Pushes a cached calendar's offline edits (Thunderbird replays them); true when none is
   * left. Thunderbird clears each journal flag without waiting after the replay, so the
   * journal is read a few times before concluding that an edit could not be sent.
   */
  private async pushOfflineEdits(uri: string): Promise<boolean> {
    if ((await this.deps.calendars.cacheState(uri)).pending === 0) {
      return true;
    }
    await this.deps.calendars.refresh(uri);
    for (let attempt = 0; attempt < JOURNAL_SETTLE_CHECKS; attempt++) {
      if ((await this.deps.calendars.cacheState(uri)).pending === 0) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, JOURNAL_SETTLE_DELAY_MS));
    }
    return false;
  }

  /** After a calendar synced: switch-offs that were waiting for its edits may proceed now. */
  calendarSynced(): void {
    if (this.deferredOff.size > 0) {
      this.exclusive(() => this.applyDeferredSwitches()).catch(() => undefined);
    }
  }

  private async refresh(): Promise<void> {
    try {
      const { account, http } = await this.session();
      const switchedOn = await this.sendPendingToggles(account, http);
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

  private requireAccount(): StoredAccount {
    if (!this.account) {
      throw new BlueMindError("keyRevoked", "not signed in");
    }
    return this.account;
  }

  private async session(): Promise<{ account: StoredAccount; http: BlueMindHttp }> {
    const account = this.requireAccount();
    if (this.key?.account !== account) {
      const value = await this.deps.secrets.read(account.serverUrl, account.login);
      if (!value) {
        throw new BlueMindError("keyRevoked", "no API key in the login manager");
      }
      this.key = { account, value };
    }
    return { account, http: this.deps.connect(account.serverUrl, this.key.value) };
  }

  private async reconcile(account: StoredAccount): Promise<void> {
    const desired: CalendarState[] = calendarsForThunderbird(this.lists).map((entry) => ({
      uri: calendarUri(account.serverUrl, entry.uid, entry.containerType),
      name: calendarName(this.shownName(entry)),
      color: displayColor(entry.uid, entry.color),
      readOnly: entry.readOnly,
      // A calendar waiting to switch off stays cached until its edits are sent.
      cached: entry.offlineSync || this.deferredOff.has(entry.uid),
    }));
    const existing = await this.deps.calendars.list();
    await applyPlan(this.deps.calendars, await this.withoutLosingEdits(planReconcile(desired, existing), existing));
  }

  /**
   * Removing a cached calendar or turning its cache off throws its cache away: for calendars
   * holding offline edits, push them first, and if they cannot be sent, leave the calendar
   * as it is until a later sync.
   */
  private async withoutLosingEdits(plan: ReconcilePlan, existing: CalendarState[]): Promise<ReconcilePlan> {
    const cached = new Set(existing.filter((c) => c.cached).map((c) => c.uri));
    const safe = async (uri: string): Promise<boolean> => !cached.has(uri) || (await this.pushOfflineEdits(uri));
    const remove: string[] = [];
    const kept: string[] = [];
    for (const uri of plan.remove) {
      if (await safe(uri)) {
        remove.push(uri);
      } else {
        kept.push(existing.find((c) => c.uri === uri)?.name ?? uri);
      }
    }
    this.keptForEdits = kept;
    const update = [];
    for (const change of plan.update) {
      if (change.changes.cached === false && !(await safe(change.uri))) {
        const rest = { ...change.changes };
        delete rest.cached;
        if (Object.keys(rest).length > 0) update.push({ uri: change.uri, changes: rest });
      } else {
        update.push(change);
      }
    }
    return { create: plan.create, update, remove };
  }

  private async savePendingToggles(): Promise<void> {
    await this.deps.store.savePendingToggles(Object.fromEntries(this.pendingToggles));
  }

  private async saveDeferred(): Promise<void> {
    await this.deps.store.saveDeferredOff([...this.deferredOff]);
  }

  private async recordError(error: unknown): Promise<void> {
    this.status = { ...this.status, lastError: toErrorReport(error) };
    await this.deps.store.saveStatus(this.status);
    if (error instanceof BlueMindError && error.kind === "keyRevoked" && this.account && !this.signInNeededNotified) {
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
