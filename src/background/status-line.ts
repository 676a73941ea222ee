/**
 * The account's status line: when BlueMind last answered and Thunderbird followed it, or what
 * went wrong since (the time of the last success stays), kept across restarts; and the one
 * notification a revoked key deserves, sent once per occurrence (a revoked key found after
 * BlueMind's lists were read again is a new one). Why apart: every operation ends in one of
 * these two outcomes, and what each does to the line and to the notifications is decided here.
 */

import { BlueMindError, toErrorReport } from "../bluemind/errors";
import type { AccountStore, StoredStatus } from "./account-store";

export interface StatusLineDeps {
  store: AccountStore;
  now(): number;
  /** Someone is signed in (a revoked key only matters then). */
  signedIn(): boolean;
  /** The calendars stay, the user must sign in again. */
  signInNeeded(): void;
}

const never = (): StoredStatus => ({ lastRefresh: null, lastError: null });

export class StatusLine {
  private status: StoredStatus = never();
  private signInNeededSent = false;

  constructor(private readonly deps: StatusLineDeps) {}

  get value(): StoredStatus {
    return this.status;
  }

  /** The status stored at the last run. */
  restore(status: StoredStatus | undefined): void {
    this.status = status ?? never();
  }

  /** BlueMind answered and Thunderbird follows it: the status shows this refresh, no error. */
  async refreshed(): Promise<void> {
    this.status = { lastRefresh: this.deps.now(), lastError: null };
    await this.deps.store.saveStatus(this.status);
  }

  /** BlueMind's lists were read: a revoked key found later is news again. */
  listsRead(): void {
    this.signInNeededSent = false;
  }

  async failed(error: unknown): Promise<void> {
    this.status = { ...this.status, lastError: toErrorReport(error) };
    await this.deps.store.saveStatus(this.status);
    if (error instanceof BlueMindError && error.kind === "keyRevoked" && this.deps.signedIn() && !this.signInNeededSent) {
      // Once per occurrence: the calendars stay, the user must sign in again.
      this.signInNeededSent = true;
      this.deps.signInNeeded();
    }
  }

  /** Signed out: nothing to show (the store forgets the status with the account). */
  clear(): void {
    this.status = never();
  }
}
