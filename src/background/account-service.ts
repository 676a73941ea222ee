/**
 * The add-on's one account and everything done with it, as one facade over modules of one
 * concern each: sign-in and the key (account-session.ts; the browser's way in,
 * browser-sign-in.ts), the Synchronisation switches and their queue (sync-switches.ts),
 * following the server (server-watch.ts), BlueMind's lists and Thunderbird's calendars kept
 * matching them (calendar-mirror.ts), the unsent-edits guard (unsent-edits.ts), the status
 * line (status-line.ts), the one-at-a-time queue of operations (one-at-a-time.ts) and the
 * page's view model (account-view.ts). What stays here is each operation's order and what
 * the page shows besides the lists. Nothing ever drops a calendar, or flips its cache mode,
 * while it holds offline edits that BlueMind has not received. Collaborators are injected, so
 * it runs in Node tests with fakes at the messenger boundary.
 */

import type { AnyContainerItems } from "../bluemind/container-items";
import type { Directory } from "../bluemind/directory";
import { BlueMindError, type ErrorReport } from "../bluemind/errors";
import type { ThunderbirdCalendars } from "../thunderbird/calendars";
import { AccountSession, type AccountSessionDeps } from "./account-session";
import type { SignInDefaults, StoredAccount } from "./account-store";
import { buildAccountView } from "./account-view";
import type { SignInBrowser } from "./browser-sign-in";
import { CalendarActivity } from "./calendar-activity";
import { CalendarMirror } from "./calendar-mirror";
import type { ServerPolicy } from "./managed-settings";
import { OneAtATime } from "./one-at-a-time";
import { clampPollMinutes, DEFAULT_POLL_MINUTES } from "./poller";
import type { AccountView } from "./protocol";
import { ServerWatch } from "./server-watch";
import { StatusLine } from "./status-line";
import { SyncSwitches } from "./sync-switches";
import { UnsentEditsGuard } from "./unsent-edits";

/** Things the user must hear about even with the options page closed. */
export type ServiceEvent = { kind: "sizeWarning"; calendarName: string; count: number } | { kind: "signInNeeded" };

/** The session's needs (the store, the login manager, HTTP, the clock, the administrator's policy), and these. */
export interface AccountServiceDeps extends AccountSessionDeps {
  calendars: ThunderbirdCalendars;
  onChange(view: AccountView): void;
  notify?(event: ServiceEvent): void;
  /** BlueMind's "Mes tâches" in the user's language: the name shown for a default todo list (`$$mytasks$$`). */
  myTasksName?: string;
  /** "Sign in with your browser": a Thunderbird window, and fetch with its cookie jar. */
  browser?: SignInBrowser;
}

export class AccountService {
  readonly activity: CalendarActivity;
  private readonly session: AccountSession;
  private readonly operations: OneAtATime;
  private readonly status: StatusLine;
  private readonly guard: UnsentEditsGuard;
  private readonly mirror: CalendarMirror;
  private readonly switches: SyncSwitches;
  private readonly watch: ServerWatch;
  private signInDefaults: SignInDefaults | null = null;
  private serverPolicy: ServerPolicy | null = null;
  private notice: ErrorReport | null = null;
  private userKeyKept = false;
  private pollMinutes = DEFAULT_POLL_MINUTES;

  constructor(private readonly deps: AccountServiceDeps) {
    this.activity = new CalendarActivity(
      () => deps.now(),
      () => deps.onChange(this.view()),
    );
    this.session = new AccountSession(deps);
    this.operations = new OneAtATime(() => deps.onChange(this.view()));
    this.status = new StatusLine({
      store: deps.store,
      now: () => deps.now(),
      signedIn: () => this.session.account !== null,
      signInNeeded: () => deps.notify?.({ kind: "signInNeeded" }),
    });
    this.guard = new UnsentEditsGuard(deps.calendars);
    this.mirror = new CalendarMirror({
      calendars: deps.calendars,
      guard: this.guard,
      waitingForEdits: () => this.switches.waitingForEdits,
      warnTooBig: (calendarName, count) => deps.notify?.({ kind: "sizeWarning", calendarName, count }),
      myTasksName: deps.myTasksName,
    });
    this.switches = new SyncSwitches(deps.store, deps.calendars, this.guard, {
      entry: (uid) => this.mirror.entry(uid),
      uriOf: (account, uid) => this.mirror.uriOf(account, uid),
      switched: async (account, http, uid, offlineSync) => {
        await this.mirror.switched(http, uid, offlineSync);
        await this.mirror.reconcile(account);
        await this.status.refreshed();
      },
      recordError: (error) => this.status.failed(error),
      report: (notice) => {
        this.notice = notice;
      },
    });
    this.watch = new ServerWatch({ session: this.session, switches: this.switches, mirror: this.mirror, status: this.status });
  }

  /**
   * Loads the stored account, without a request: Thunderbird keeps our calendars, and the
   * first poll (after the random start-up delay) reads BlueMind again.
   */
  start(): Promise<void> {
    return this.operations.run(async () => {
      const stored = await this.deps.store.load();
      this.session.restore(stored.account ?? null);
      this.status.restore(stored.status);
      this.signInDefaults = stored.signInDefaults ?? null;
      this.serverPolicy = (await this.deps.serverPolicy?.()) ?? null;
      this.switches.load(stored);
      this.pollMinutes = clampPollMinutes(stored.settings?.pollMinutes ?? DEFAULT_POLL_MINUTES);
    });
  }

  /** The options page opened before the first poll: read BlueMind now, the user is looking. */
  async loadIfNeeded(): Promise<void> {
    if (this.session.account && this.mirror.subscriptionsVersion === null && !this.operations.busy) {
      await this.operations.run(() => this.watch.refresh()).catch(() => undefined);
    }
  }

  view(): AccountView {
    return buildAccountView({
      account: this.session.account,
      lists: this.mirror.lists,
      counts: this.mirror.counts,
      queued: this.switches.queued,
      waitingForEdits: this.switches.waitingForEdits,
      activity: this.activity,
      status: this.status.value,
      busy: this.operations.busy,
      signInDefaults: this.signInDefaults,
      serverPolicy: this.serverPolicy,
      notice: this.notice,
      userKeyKept: this.userKeyKept,
      pollMinutes: this.pollMinutes,
      keptForEdits: this.mirror.keptForEdits,
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
   * The periodic check (two requests, server-watch.ts): only when something moved are the lists
   * read again and Thunderbird reconciled. A failure is recorded and rethrown, so the poller backs off.
   */
  async poll(): Promise<void> {
    if (!this.session.account || this.operations.busy) {
      return;
    }
    const moved = await this.watch.somethingMoved().catch((error: unknown) => {
      this.deps.onChange(this.view());
      throw error;
    });
    if (!moved) {
      // A check that found nothing new is still a check: the status line's time moves, and an
      // error shown before is over (BlueMind answers again).
      await this.status.refreshed();
      this.deps.onChange(this.view());
      return;
    }
    // The read records its own failure.
    await this.operations.run(() => this.watch.refresh());
  }

  async reloadDefaults(): Promise<void> {
    this.signInDefaults = (await this.deps.store.load()).signInDefaults ?? null;
  }

  /** Password sign-in: the password makes our key once and is forgotten. */
  signIn(serverUrlInput: string, login: string, password: string): Promise<void> {
    return this.signInBy(() => this.session.signInWithPassword(serverUrlInput, login, password));
  }

  /** A key the user made in BlueMind (Préférences › Mon compte › Sécurité › Clé d'API). */
  signInWithKey(serverUrlInput: string, apiKey: string): Promise<void> {
    return this.signInBy(() => this.session.signInWithKey(serverUrlInput, apiKey));
  }

  /** BlueMind's own login page in a Thunderbird window (browser-sign-in.ts). */
  signInWithBrowser(serverUrlInput: string): Promise<void> {
    const browser = this.deps.browser;
    if (!browser) {
      return Promise.reject(new BlueMindError("refused", "no browser to sign in with"));
    }
    return this.signInBy(() => this.session.signInWithBrowser(serverUrlInput, browser));
  }

  /** What the three ways in share (account-session.ts), then the first refresh. */
  private signInBy(establish: () => Promise<StoredAccount>): Promise<void> {
    return this.operations.run(async () => {
      const account = await establish();
      this.signInDefaults = { serverUrl: account.serverUrl, login: account.login };
      this.notice = null;
      this.userKeyKept = false;
      await this.watch.refresh();
    });
  }

  /** Revokes the key on the server, removes our calendars, forgets the account. */
  signOut(): Promise<void> {
    return this.operations.run(async () => {
      const account = this.session.account;
      if (!account) {
        return;
      }
      // Offline edits are pushed first; if that is impossible, nothing is removed.
      await this.guard.pushAll();
      // A key the user made in BlueMind is theirs: it stays, and the page says where to delete it.
      this.userKeyKept = account.keySource === "user";
      // What failed is reported so the user can revoke the key in BlueMind.
      this.notice = await this.session.revoke(account);
      await this.mirror.removeAll();
      await this.session.forget(account);
      this.mirror.forget();
      this.switches.forgetAll();
      this.activity.clear();
      this.status.clear();
    });
  }

  /**
   * "Synchroniser maintenant": re-reads BlueMind and reconciles, then has Thunderbird refresh
   * every calendar (offline edits pushed first, then server changes pulled; each row shows
   * its own progress), then applies the switch-offs that were waiting for those edits.
   */
  async syncNow(): Promise<void> {
    await this.operations.run(() => this.watch.refresh());
    const account = this.session.require();
    for (const uri of this.mirror.uris(account)) {
      await this.deps.calendars.refresh(uri);
    }
    await this.operations.run(() => this.applyDeferredSwitches());
  }

  /** Writes the Synchronisation switch to BlueMind (sync-switches.ts); Thunderbird follows once the server accepted it. */
  setSync(containerUid: string, offlineSync: boolean): Promise<void> {
    return this.operations.run(async () => {
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
      this.operations.run(() => this.applyDeferredSwitches()).catch(() => undefined);
    }
  }
}
