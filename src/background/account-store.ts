/**
 * The account's non-secret settings in storage.local. The API key is deliberately absent:
 * it lives in Thunderbird's login manager (see thunderbird/secrets).
 */

import type { ErrorReport } from "../bluemind/errors";

export interface StoredAccount {
  serverUrl: string;
  login: string;
  userUid: string;
  domainUid: string;
  displayName: string;
  /**
   * Who made the API key: the add-on (password or browser sign-in; revoked at sign-out) or the
   * user in BlueMind's preferences (pasted; left alone at sign-out). Absent: the add-on.
   */
  keySource?: KeySource;
}

export type KeySource = "addon" | "user";

export interface StoredStatus {
  lastRefresh: number | null;
  lastError: ErrorReport | null;
}

/** Prefill for the sign-in form (set by `npm start`, or the last account used). */
export interface SignInDefaults {
  serverUrl: string;
  login: string;
}

export interface StoredData {
  account?: StoredAccount | null;
  status?: StoredStatus;
  signInDefaults?: SignInDefaults | null;
  /** Container uids whose Synchronisation switch-off waits for offline edits to be sent. */
  deferredOff?: string[];
  /** Synchronisation switches flipped while BlueMind could not be reached: container uid → on. */
  pendingToggles?: Record<string, boolean>;
  settings?: StoredSettings;
}

export interface StoredSettings {
  /** Minutes between two checks of BlueMind. */
  pollMinutes: number;
}

/** The slice of storage.local the add-on uses; injectable for tests. */
export interface KeyValueStorage {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(values: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export class AccountStore {
  constructor(private readonly storage: KeyValueStorage) {}

  async load(): Promise<StoredData> {
    return await this.storage.get(["account", "status", "signInDefaults", "deferredOff", "pendingToggles", "settings"]);
  }

  async saveAccount(account: StoredAccount): Promise<void> {
    await this.storage.set({ account, signInDefaults: { serverUrl: account.serverUrl, login: account.login } });
  }

  async saveStatus(status: StoredStatus): Promise<void> {
    await this.storage.set({ status });
  }

  async saveDeferredOff(containerUids: string[]): Promise<void> {
    await this.storage.set({ deferredOff: containerUids });
  }

  async savePendingToggles(toggles: Record<string, boolean>): Promise<void> {
    await this.storage.set({ pendingToggles: toggles });
  }

  async saveSettings(settings: StoredSettings): Promise<void> {
    await this.storage.set({ settings });
  }

  async clearAccount(): Promise<void> {
    await this.storage.remove(["account", "status", "deferredOff", "pendingToggles"]);
  }
}
