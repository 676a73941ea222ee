/**
 * The add-on's one account and everything done with it: sign-in (API key only), the two
 * BlueMind calendar lists, the Synchronisation toggle written back to BlueMind, and
 * reconciliation of Thunderbird's calendars after each of those. Operations run one at a
 * time. Its collaborators are injected, so it runs in Node tests with fakes at the
 * messenger boundary.
 */

import { revokeKey, signIn as bluemindSignIn } from "../bluemind/auth";
import { fetchCalendarLists, fetchItemCounts } from "../bluemind/calendar-directory";
import { subscribe } from "../bluemind/containers";
import { BlueMindError, toErrorReport, type ErrorReport } from "../bluemind/errors";
import type { BlueMindHttp } from "../bluemind/http";
import { normalizeServerUrl } from "../bluemind/server-url";
import { calendarsForThunderbird, type CalendarEntry, type CalendarLists } from "../sync/calendar-lists";
import { calendarUri, displayColor } from "../sync/calendar-identity";
import { planReconcile, type CalendarState } from "../sync/reconcile";
import { needsSizeWarning } from "../sync/size-warning";
import { applyPlan, type ThunderbirdCalendars } from "../thunderbird/calendars";
import type { SecretStore } from "../thunderbird/secrets";
import type { AccountStore, StoredAccount, StoredStatus } from "./account-store";
import type { AccountView, CalendarRowView } from "./protocol";

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
}

const EMPTY_LISTS: CalendarLists = { mine: [], others: [] };

export class AccountService {
  private account: StoredAccount | null = null;
  private status: StoredStatus = { lastRefresh: null, lastError: null };
  private signInDefaults: AccountView["signInDefaults"] = null;
  private lists: CalendarLists = EMPTY_LISTS;
  private counts = new Map<string, number | null>();
  private notice: ErrorReport | null = null;
  private busy = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AccountServiceDeps) {}

  /** Loads the stored account and refreshes it; a failure is recorded in the status, not thrown. */
  start(): Promise<void> {
    return this.exclusive(async () => {
      const stored = await this.deps.store.load();
      this.account = stored.account ?? null;
      this.status = stored.status ?? { lastRefresh: null, lastError: null };
      this.signInDefaults = stored.signInDefaults ?? null;
      if (this.account) {
        await this.refresh().catch(() => undefined);
      }
    });
  }

  view(): AccountView {
    const row = (entry: CalendarEntry): CalendarRowView => {
      const itemCount = this.counts.get(entry.uid) ?? null;
      return { ...entry, itemCount, sizeWarning: needsSizeWarning(entry.offlineSync, itemCount) };
    };
    return {
      signedIn: this.account !== null,
      serverUrl: this.account?.serverUrl ?? null,
      login: this.account?.login ?? null,
      displayName: this.account?.displayName ?? null,
      mine: this.lists.mine.map(row),
      others: this.lists.others.map(row),
      status: { ...this.status, busy: this.busy },
      signInDefaults: this.signInDefaults,
      notice: this.notice,
    };
  }

  async reloadDefaults(): Promise<void> {
    this.signInDefaults = (await this.deps.store.load()).signInDefaults ?? null;
  }

  signIn(serverUrlInput: string, login: string, password: string): Promise<void> {
    return this.exclusive(async () => {
      if (this.account) {
        throw new BlueMindError("server", "already signed in; sign out first");
      }
      const origin = normalizeServerUrl(serverUrlInput);
      const result = await bluemindSignIn(
        this.deps.connect(origin, null),
        login,
        password,
        this.deps.clientOrigin,
        this.deps.keyDisplayName,
      );
      await this.deps.secrets.save(origin, result.login, result.apiKey.sid);
      const account: StoredAccount = {
        serverUrl: origin,
        login: result.login,
        userUid: result.user.uid,
        domainUid: result.user.domainUid,
        displayName: result.user.displayName,
      };
      await this.deps.store.saveAccount(account);
      this.account = account;
      this.signInDefaults = { serverUrl: origin, login: result.login };
      this.notice = null;
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
      this.notice = null;
      const key = await this.deps.secrets.read(account.serverUrl, account.login);
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
      await this.deps.store.clearAccount();
      this.account = null;
      this.lists = EMPTY_LISTS;
      this.counts = new Map();
      this.status = { lastRefresh: null, lastError: null };
    });
  }

  /** "Synchroniser maintenant": re-reads BlueMind and reconciles Thunderbird. */
  syncNow(): Promise<void> {
    return this.exclusive(() => this.refresh());
  }

  /** Writes the Synchronisation switch to BlueMind; Thunderbird follows once the server accepted it. */
  setSync(containerUid: string, offlineSync: boolean): Promise<void> {
    return this.exclusive(async () => {
      const { account, http } = await this.session();
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
      this.lists = { mine: this.lists.mine.map(update), others: this.lists.others.map(update) };
      if (offlineSync) {
        const entry = [...this.lists.mine, ...this.lists.others].find((e) => e.uid === containerUid);
        if (entry) {
          const counts = await fetchItemCounts(http, [entry]);
          this.counts.set(containerUid, counts.get(containerUid) ?? null);
        }
      }
      await this.reconcile(account);
      this.status = { lastRefresh: this.deps.now(), lastError: null };
      await this.deps.store.saveStatus(this.status);
    });
  }

  private async refresh(): Promise<void> {
    try {
      const { account, http } = await this.session();
      const lists = await fetchCalendarLists(http, { uid: account.userUid, domainUid: account.domainUid });
      this.counts = await fetchItemCounts(http, [...lists.mine, ...lists.others]);
      this.lists = lists;
      await this.reconcile(account);
      this.status = { lastRefresh: this.deps.now(), lastError: null };
      await this.deps.store.saveStatus(this.status);
    } catch (error) {
      await this.recordError(error);
      throw error;
    }
  }

  private async session(): Promise<{ account: StoredAccount; http: BlueMindHttp }> {
    const account = this.account;
    if (!account) {
      throw new BlueMindError("keyRevoked", "not signed in");
    }
    const key = await this.deps.secrets.read(account.serverUrl, account.login);
    if (!key) {
      throw new BlueMindError("keyRevoked", "no API key in the login manager");
    }
    return { account, http: this.deps.connect(account.serverUrl, key) };
  }

  private async reconcile(account: StoredAccount): Promise<void> {
    const desired: CalendarState[] = calendarsForThunderbird(this.lists).map((entry) => ({
      uri: calendarUri(account.serverUrl, entry.uid),
      name: entry.name,
      color: displayColor(entry.uid, entry.color),
      readOnly: entry.readOnly,
      cached: entry.offlineSync,
    }));
    const existing = await this.deps.calendars.list();
    await applyPlan(this.deps.calendars, planReconcile(desired, existing));
  }

  private async recordError(error: unknown): Promise<void> {
    this.status = { ...this.status, lastError: toErrorReport(error) };
    await this.deps.store.saveStatus(this.status);
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

