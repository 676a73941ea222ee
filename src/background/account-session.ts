/**
 * Who is signed in, and the key that proves it. The three ways in (password, a key made in
 * BlueMind, BlueMind's login page through browser-sign-in.ts) end the same way here: the
 * administrator's lock is checked, the key goes to Thunderbird's login manager (never a
 * password), the account to storage. The key is then read from the login manager once per
 * session, not at every request. Sign-out revokes the key we made (one the user made in
 * BlueMind stays theirs) and forgets both. Why apart: the key is the one secret; every path
 * to it is in this file.
 */

import { currentUser, revokeKey, signIn, signInWithApiKey, type SignInResult } from "../bluemind/auth";
import { CalendarItems } from "../bluemind/calendar-items";
import type { AnyContainerItems } from "../bluemind/container-items";
import { Directory } from "../bluemind/directory";
import { BlueMindError, toErrorReport, type ErrorReport } from "../bluemind/errors";
import type { BlueMindHttp } from "../bluemind/http";
import { normalizeServerUrl } from "../bluemind/server-url";
import { TodoItems } from "../bluemind/todo-items";
import { containerOfUri, containerUidFromUri } from "../sync/calendar-identity";
import type { SecretStore } from "../thunderbird/secrets";
import type { AccountStore, KeySource, StoredAccount } from "./account-store";
import { signInThroughBrowser, type SignInBrowser } from "./browser-sign-in";
import { checkServerAllowed, type ServerPolicy } from "./managed-settings";

export interface AccountSessionDeps {
  store: AccountStore;
  secrets: SecretStore;
  /** An HTTP client for this origin, with this key (null: anonymous). */
  connect(origin: string, apiKey: string | null): BlueMindHttp;
  /** The server address preset by the administrator (enterprise policy), if any. */
  serverPolicy?(): Promise<ServerPolicy | null>;
  /** Sent as `origin` at login, so BlueMind's admin sees which client signed in. */
  clientOrigin: string;
  /** Display name of the permanent API key created at sign-in. */
  keyDisplayName: string;
  now(): number;
}

export class AccountSession {
  private current: StoredAccount | null = null;
  /** The API key, read from the login manager once per session (per account signed in). */
  private key: { account: StoredAccount; value: string } | null = null;

  constructor(private readonly deps: AccountSessionDeps) {}

  get account(): StoredAccount | null {
    return this.current;
  }

  /** The account stored at the last run; its key is read when first needed. */
  restore(account: StoredAccount | null): void {
    this.current = account;
  }

  require(): StoredAccount {
    if (!this.current) {
      throw new BlueMindError("keyRevoked", "not signed in");
    }
    return this.current;
  }

  /** The account and a client holding its key. */
  async open(): Promise<{ account: StoredAccount; http: BlueMindHttp }> {
    const account = this.require();
    if (this.key?.account !== account) {
      const value = await this.deps.secrets.read(account.serverUrl, account.login);
      if (!value) {
        throw new BlueMindError("keyRevoked", "no API key in the login manager");
      }
      this.key = { account, value };
    }
    return { account, http: this.deps.connect(account.serverUrl, this.key.value) };
  }

  /** Password sign-in: the password makes our key once and is forgotten. */
  signInWithPassword(serverUrlInput: string, login: string, password: string): Promise<StoredAccount> {
    return this.establish(serverUrlInput, "addon", (http) =>
      signIn(http, login, password, this.deps.clientOrigin, this.deps.keyDisplayName),
    );
  }

  /** A key the user made in BlueMind (Préférences › Mon compte › Sécurité › Clé d'API). */
  signInWithKey(serverUrlInput: string, apiKey: string): Promise<StoredAccount> {
    return this.establish(serverUrlInput, "user", (http) => signInWithApiKey(http, apiKey));
  }

  /** BlueMind's own login page in a Thunderbird window (browser-sign-in.ts). */
  signInWithBrowser(serverUrlInput: string, browser: SignInBrowser): Promise<StoredAccount> {
    return this.establish(serverUrlInput, "addon", (http, origin) =>
      signInThroughBrowser(http, origin, browser, () => this.deps.now(), this.deps.keyDisplayName),
    );
  }

  /** What the three ways in share: the administrator's lock, the key in the login manager, the account stored. */
  private async establish(
    serverUrlInput: string,
    keySource: KeySource,
    obtain: (http: BlueMindHttp, origin: string) => Promise<SignInResult>,
  ): Promise<StoredAccount> {
    if (this.current) {
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
    this.current = account;
    this.key = { account, value: result.apiKey.sid };
    return account;
  }

  /**
   * Revokes the key the add-on made (a key the user made in BlueMind is theirs and stays).
   * Answers what to tell the user when that failed (already revoked is fine).
   */
  async revoke(account: StoredAccount): Promise<ErrorReport | null> {
    const key = account.keySource === "user" ? null : await this.deps.secrets.read(account.serverUrl, account.login);
    if (!key) {
      return null;
    }
    try {
      await revokeKey(this.deps.connect(account.serverUrl, key), key);
      return null;
    } catch (error) {
      return error instanceof BlueMindError && error.kind === "keyRevoked" ? null : toErrorReport(error);
    }
  }

  /** Forgets the key and the account. */
  async forget(account: StoredAccount): Promise<void> {
    await this.deps.secrets.remove(account.serverUrl, account.login);
    this.key = null;
    await this.deps.store.clearAccount();
    this.current = null;
  }

  /** BlueMind's client for the calendar or todo list behind a Thunderbird calendar URI. */
  async calendarItems(uri: string): Promise<AnyContainerItems> {
    const { account, http } = await this.open();
    const container = containerOfUri(account.serverUrl, uri);
    if (!container) {
      throw new BlueMindError("notFound", `${uri} is not a calendar of ${account.serverUrl}`);
    }
    return container.kind === "todolist" ? new TodoItems(http, container.uid) : new CalendarItems(http, container.uid);
  }

  /** BlueMind's directory and free/busy, as the signed-in user (scheduling). */
  async directory(): Promise<Directory> {
    const { account, http } = await this.open();
    return new Directory(http, account.domainUid, account.userUid);
  }

  /** The user's mailboxCopyGuid now (`GET /api/auth`): a new one means the mailbox was moved or restored. */
  async mailboxCopyGuid(): Promise<string | null> {
    const { http } = await this.open();
    return (await currentUser(http)).value?.mailboxCopyGuid ?? null;
  }

  /** The container uid behind a Thunderbird calendar URI of this account, if any. */
  containerUidOf(uri: string): string | null {
    return this.current ? containerUidFromUri(this.current.serverUrl, uri) : null;
  }
}
