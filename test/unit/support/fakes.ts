/**
 * Stand-ins for Thunderbird at the messenger boundary only (storage.local, the login
 * manager, the bmcal calendars), so the account service runs unchanged in plain Node.
 * The fake calendar list behaves like Thunderbird's on the points that matter: ids are
 * assigned at creation and change when the cache mode flips, and blocks are stored as the
 * provider stores them, by the same planner (src/sync/cache-plan.ts).
 */

import type { KeyValueStorage } from "../../../src/background/account-store";
import type { CalendarChanges, CalendarSpec } from "../../../src/sync/calendar-spec";
import { BlueMindError } from "../../../src/bluemind/errors";
import { planBlock, versionStep, type StoredItem } from "../../../src/sync/cache-plan";
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
  /** How many times the login manager was read (each read is a privileged call). */
  reads = 0;
  async save(origin: string, login: string, secret: string): Promise<void> {
    this.entries.set(`${origin}|${login}`, secret);
  }
  async read(origin: string, login: string): Promise<string | null> {
    this.reads++;
    return this.entries.get(`${origin}|${login}`) ?? null;
  }
  async remove(origin: string, login: string): Promise<void> {
    this.entries.delete(`${origin}|${login}`);
  }
}

export interface FakeCalendar extends CalendarSpec {
  id: string;
  /** A cached calendar's content: BlueMind item uid -> the iCalendar UID stored for it. */
  items: Map<string, string>;
  version: number | null;
  /** Stored with the version, as the provider does: the sync's start time and the mailboxCopyGuid then. */
  syncedAt?: number | null;
  mailboxCopyGuid?: string | null;
  /** Offline edits Thunderbird holds for this calendar (set by tests). */
  pending: number;
  /** BlueMind item uids holding those edits, when a test says which (never overwritten nor removed). */
  flagged?: Set<string>;
  /** BlueMind item uid -> the version stored with it. */
  versions?: Map<string, number>;
  refreshes: number;
}

export class FakeThunderbirdCalendars implements ThunderbirdCalendars {
  readonly calendars: FakeCalendar[] = [];
  private nextId = 1;

  async list(): Promise<CalendarSpec[]> {
    return this.calendars.map(({ uri, name, color, readOnly, cached }) => ({ uri, name, color, readOnly, cached }));
  }
  async create(calendar: CalendarSpec): Promise<void> {
    this.calendars.push({ ...calendar, id: `cal-${this.nextId++}`, items: new Map(), version: null, pending: 0, refreshes: 0 });
  }
  async update(uri: string, changes: CalendarChanges): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) throw new Error(`no calendar ${uri}`);
    const recreate = changes.cached !== undefined && changes.cached !== calendar.cached;
    Object.assign(calendar, changes);
    if (recreate) {
      // Thunderbird re-creates the calendar: new id, empty cache (offline edits would be lost).
      if (calendar.pending > 0) throw new Error(`${uri}: cache mode changed with ${calendar.pending} unsent edits`);
      calendar.id = `cal-${this.nextId++}`;
      calendar.items = new Map();
      calendar.versions = new Map();
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
      version: calendar?.version ?? null,
      pending: calendar?.pending ?? 0,
      syncedAt: calendar?.syncedAt ?? null,
      ...(calendar?.mailboxCopyGuid !== undefined ? { mailboxCopyGuid: calendar.mailboxCopyGuid } : {}),
    };
  }
  /** Thunderbird offline: the provider's plan stores nothing and the adapter reports "unreachable". */
  offline = false;
  /** Applies a block as the provider does: the plan of src/sync/cache-plan.ts, carried out. */
  async applyCacheChanges(uri: string, batch: CacheBatch): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) throw new Error(`no calendar ${uri}`);
    const versions = (calendar.versions ??= new Map());
    const byId = new Map<string, StoredItem>();
    for (const [itemUid, id] of calendar.items) byId.set(id, { itemUid, version: versions.get(itemUid) ?? 0 });
    const plan = planBlock({
      items: Object.entries(batch.meta ?? {}).map(([id, meta]) => ({ id, ...meta })),
      stored: { byId, idByItemUid: new Map([...calendar.items].map(([itemUid, id]) => [itemUid, id])) },
      flagged: new Set([...(calendar.flagged ?? [])].map((itemUid) => calendar.items.get(itemUid) ?? "")),
      online: !this.offline,
      ...batch,
    });
    if (plan.stop) throw new BlueMindError("unreachable", "sync stopped: Thunderbird went offline");
    for (const removal of plan.removals) {
      calendar.items.delete(removal.itemUid);
      versions.delete(removal.itemUid);
    }
    for (const write of plan.writes) {
      calendar.items.set(write.itemUid, write.id);
      versions.set(write.itemUid, write.version);
    }
    const rows = versionStep(plan, !this.offline);
    if (rows === "offline") throw new BlueMindError("unreachable", "sync stopped: Thunderbird went offline");
    if (plan.version) {
      calendar.version = Number(plan.version.version);
      if (batch.syncedAt !== undefined) calendar.syncedAt = batch.syncedAt;
      if (batch.mailboxCopyGuid !== undefined) calendar.mailboxCopyGuid = batch.mailboxCopyGuid;
    }
  }
  /** BlueMind item uid -> the version stored with it, as the provider's cacheIndex answers. */
  async cacheIndex(uri: string): Promise<Record<string, number>> {
    const calendar = this.byUri(uri);
    return Object.fromEntries([...(calendar?.items.keys() ?? [])].map((itemUid) => [itemUid, calendar?.versions?.get(itemUid) ?? 0]));
  }
  byUri(uri: string): FakeCalendar | undefined {
    return this.calendars.find((c) => c.uri === uri);
  }
}
