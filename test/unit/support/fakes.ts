/**
 * Stand-ins for Thunderbird at the messenger boundary only (storage.local, the login
 * manager, the bmcal calendars), so the account service runs unchanged in plain Node.
 * The fake calendar list behaves like Thunderbird's on the points that matter: ids are
 * assigned at creation and change when the cache mode flips.
 */

import type { KeyValueStorage } from "../../../src/background/account-store";
import type { CalendarState } from "../../../src/sync/reconcile";
import type { CacheBatch } from "../../../src/sync/cached-sync";
import type { CacheState, ThunderbirdCalendars } from "../../../src/thunderbird/calendars";
import type { SecretStore } from "../../../src/thunderbird/secrets";

export class MemoryStorage implements KeyValueStorage {
  readonly data: Record<string, unknown> = {};
  async get(keys: string[]): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      if (key in this.data) result[key] = structuredClone(this.data[key]);
    }
    return result;
  }
  async set(values: Record<string, unknown>): Promise<void> {
    Object.assign(this.data, structuredClone(values));
  }
  async remove(keys: string[]): Promise<void> {
    for (const key of keys) delete this.data[key];
  }
}

export class MemorySecrets implements SecretStore {
  readonly entries = new Map<string, string>();
  async save(origin: string, login: string, secret: string): Promise<void> {
    this.entries.set(`${origin}|${login}`, secret);
  }
  async read(origin: string, login: string): Promise<string | null> {
    return this.entries.get(`${origin}|${login}`) ?? null;
  }
  async remove(origin: string, login: string): Promise<void> {
    this.entries.delete(`${origin}|${login}`);
  }
}

export interface FakeCalendar extends CalendarState {
  id: string;
  /** A cached calendar's content: BlueMind item uid -> the iCalendar UID stored for it. */
  items: Map<string, string>;
  version: number | null;
  /** Stored with the version, as the provider does: the sync's start time and the mailboxCopyGuid then. */
  syncedAt?: number | null;
  mailboxCopyGuid?: string | null;
  /** Offline edits Thunderbird holds for this calendar (set by tests). */
  pending: number;
  refreshes: number;
}

export class FakeThunderbirdCalendars implements ThunderbirdCalendars {
  readonly calendars: FakeCalendar[] = [];
  private nextId = 1;

  async list(): Promise<CalendarState[]> {
    return this.calendars.map(({ uri, name, color, readOnly, cached }) => ({ uri, name, color, readOnly, cached }));
  }
  async create(calendar: CalendarState): Promise<void> {
    this.calendars.push({ ...calendar, id: `cal-${this.nextId++}`, items: new Map(), version: null, pending: 0, refreshes: 0 });
  }
  async update(uri: string, changes: Partial<Omit<CalendarState, "uri">>): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) throw new Error(`no calendar ${uri}`);
    const recreate = changes.cached !== undefined && changes.cached !== calendar.cached;
    Object.assign(calendar, changes);
    if (recreate) {
      // Thunderbird re-creates the calendar: new id, empty cache (offline edits would be lost).
      if (calendar.pending > 0) throw new Error(`${uri}: cache mode changed with ${calendar.pending} unsent edits`);
      calendar.id = `cal-${this.nextId++}`;
      calendar.items = new Map();
      calendar.version = null;
      calendar.syncedAt = null;
      delete calendar.mailboxCopyGuid;
    }
  }
  async remove(uri: string): Promise<void> {
    const index = this.calendars.findIndex((c) => c.uri === uri);
    if (index >= 0 && (this.calendars[index]?.pending ?? 0) > 0) throw new Error(`${uri}: removed with unsent edits`);
    if (index >= 0) this.calendars.splice(index, 1);
  }
  /** Tests decide whether a refresh manages to push the pending edits (online) or not. */
  online = true;
  async refresh(uri: string): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) return;
    calendar.refreshes++;
    if (this.online) calendar.pending = 0;
  }
  async cacheState(uri: string): Promise<CacheState> {
    const calendar = this.byUri(uri);
    return {
      cached: !!calendar?.cached,
      version: calendar?.version ?? null,
      pending: calendar?.pending ?? 0,
      syncedAt: calendar?.syncedAt ?? null,
      ...(calendar?.mailboxCopyGuid !== undefined ? { mailboxCopyGuid: calendar.mailboxCopyGuid } : {}),
    };
  }
  async applyCacheChanges(uri: string, batch: CacheBatch): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) throw new Error(`no calendar ${uri}`);
    for (const [icsUid, meta] of Object.entries(batch.meta ?? {})) calendar.items.set(meta.itemUid, icsUid);
    for (const itemUid of batch.deletes ?? []) calendar.items.delete(itemUid);
    if (batch.keepOnly) {
      const keep = new Set(batch.keepOnly);
      for (const itemUid of [...calendar.items.keys()]) if (!keep.has(itemUid)) calendar.items.delete(itemUid);
    }
    if (batch.version !== undefined && batch.version !== null) {
      calendar.version = batch.version;
      if (batch.syncedAt !== undefined) calendar.syncedAt = batch.syncedAt;
      if (batch.mailboxCopyGuid !== undefined) calendar.mailboxCopyGuid = batch.mailboxCopyGuid;
    }
  }
  /** The fake keeps no item versions: a full reconciliation fetches every item again. */
  async cacheIndex(uri: string): Promise<Record<string, number>> {
    return Object.fromEntries([...(this.byUri(uri)?.items.keys() ?? [])].map((itemUid) => [itemUid, 0]));
  }
  byUri(uri: string): FakeCalendar | undefined {
    return this.calendars.find((c) => c.uri === uri);
  }
}
