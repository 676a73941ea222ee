/**
 * BlueMind's Synchronisation switch, written back from the options page, and the two waits it
 * can meet: BlueMind cannot be reached (the wish is queued, kept across restarts, and sent
 * before the lists are read again, else BlueMind's old value would win), and a switch-off of
 * a calendar holding offline edits (it waits until those are sent: turning the cache off
 * would throw them away). Why apart: the queue and the waits are the whole difficulty of a
 * switch; what happens once BlueMind accepted one (lists, counts, Thunderbird) is the
 * service's, behind SwitchHost.
 */

import { subscribe } from "../bluemind/containers";
import { isTransient, type ErrorReport, toErrorReport } from "../bluemind/errors";
import type { BlueMindHttp } from "../bluemind/http";
import type { CalendarEntry } from "../sync/calendar-lists";
import type { ThunderbirdCalendars } from "../thunderbird/calendars";
import type { AccountStore, StoredAccount, StoredData } from "./account-store";
import type { UnsentEditsGuard } from "./unsent-edits";

/** What a switch needs from the account service. */
export interface SwitchHost {
  entry(uid: string): CalendarEntry | undefined;
  /** The Thunderbird URI of a container of this account. */
  uriOf(account: StoredAccount, uid: string): Promise<string>;
  /** BlueMind accepted the switch: the lists, counts and Thunderbird follow. */
  switched(account: StoredAccount, http: BlueMindHttp, uid: string, offlineSync: boolean): Promise<void>;
  recordError(error: unknown): Promise<void>;
  /** A queued switch BlueMind refused: shown on the page. */
  report(notice: ErrorReport): void;
}

export class SyncSwitches {
  /** Switches flipped while BlueMind could not be reached; sent before the next refresh. */
  private pending = new Map<string, boolean>();
  /** Calendars whose Synchronisation must go off once their offline edits are sent. */
  private deferredOff = new Set<string>();

  constructor(
    private readonly store: AccountStore,
    private readonly calendars: ThunderbirdCalendars,
    private readonly guard: UnsentEditsGuard,
    private readonly host: SwitchHost,
  ) {}

  load(stored: Pick<StoredData, "pendingToggles" | "deferredOff">): void {
    this.pending = new Map(Object.entries(stored.pendingToggles ?? {}));
    this.deferredOff = new Set(stored.deferredOff ?? []);
  }

  get queued(): ReadonlyMap<string, boolean> {
    return this.pending;
  }

  get waitingForEdits(): ReadonlySet<string> {
    return this.deferredOff;
  }

  /** Signed out: nothing is queued or waits any more (the store forgets them with the account). */
  forgetAll(): void {
    this.pending.clear();
    this.deferredOff.clear();
  }

  /** Writes the switch to BlueMind; Thunderbird follows once the server accepted it. */
  async set(account: StoredAccount, http: BlueMindHttp, containerUid: string, offlineSync: boolean): Promise<void> {
    if (offlineSync && this.deferredOff.delete(containerUid)) {
      // Still on in BlueMind: cancelling the pending switch-off is enough.
      await this.saveDeferred();
      return;
    }
    const entry = this.host.entry(containerUid);
    if (await this.switchOffWaitsForEdits(account, entry, containerUid, offlineSync)) {
      return;
    }
    if (this.pending.has(containerUid) && entry?.offlineSync === offlineSync) {
      // Flipped back before it could be sent: nothing to send any more.
      this.pending.delete(containerUid);
      await this.savePending();
      return;
    }
    try {
      await this.write(account, http, containerUid, offlineSync);
    } catch (error) {
      if (!isTransient(error)) {
        throw error;
      }
      // BlueMind cannot be reached: keep the wish, send it when it can be.
      this.pending.set(containerUid, offlineSync);
      await this.savePending();
    }
  }

  /**
   * Sends the queued switches, before the lists are read again. A switch-off waits for the
   * calendar's offline edits, as when flipped online. A refused switch is dropped and
   * reported; an unreachable server stops here and keeps the rest. Answers the calendars
   * switched on (for the 9000 warning once their counts are read).
   */
  async sendQueued(account: StoredAccount, http: BlueMindHttp): Promise<string[]> {
    const switchedOn: string[] = [];
    for (const [containerUid, offlineSync] of [...this.pending]) {
      const entry = this.host.entry(containerUid);
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
        this.host.report(toErrorReport(error));
      }
      this.pending.delete(containerUid);
      await this.savePending();
    }
    return switchedOn;
  }

  /** Switches off the calendars that were waiting for their offline edits to be sent. */
  async applyDeferred(account: StoredAccount, http: BlueMindHttp): Promise<void> {
    for (const uid of [...this.deferredOff]) {
      const state = await this.calendars.cacheState(await this.host.uriOf(account, uid));
      if (state.pending === 0) {
        this.deferredOff.delete(uid);
        try {
          await this.write(account, http, uid, false);
        } catch (error) {
          this.deferredOff.add(uid);
          throw error;
        } finally {
          await this.saveDeferred();
        }
      }
    }
  }

  private async write(account: StoredAccount, http: BlueMindHttp, containerUid: string, offlineSync: boolean): Promise<void> {
    try {
      await subscribe(http, account.domainUid, account.userUid, [{ containerUid, offlineSync }]);
    } catch (error) {
      await this.host.recordError(error);
      throw error;
    }
    await this.host.switched(account, http, containerUid, offlineSync);
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
    if (offlineSync || !entry?.offlineSync || (await this.guard.push(await this.host.uriOf(account, containerUid)))) {
      return false;
    }
    this.deferredOff.add(containerUid);
    await this.saveDeferred();
    return true;
  }

  private async savePending(): Promise<void> {
    await this.store.savePendingToggles(Object.fromEntries(this.pending));
  }

  private async saveDeferred(): Promise<void> {
    await this.store.saveDeferredOff([...this.deferredOff]);
  }
}
