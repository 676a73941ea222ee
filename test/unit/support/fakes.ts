/**
 * Stand-ins for Thunderbird at the messenger boundary only (storage.local, the login
 * manager, the bmcal calendars), so the account service runs unchanged in plain Node.
 * The fake calendar list behaves like Thunderbird's on the points that matter: ids are
 * assigned at creation and change when the cache mode flips.
 */

import type { KeyValueStorage } from "../../../src/background/account-store";
import type { CalendarState } from "../../../src/sync/reconcile";
import type { ThunderbirdCalendars } from "../../../src/thunderbird/calendars";
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
}

export class FakeThunderbirdCalendars implements ThunderbirdCalendars {
  readonly calendars: FakeCalendar[] = [];
  private nextId = 1;

  async list(): Promise<CalendarState[]> {
    return this.calendars.map(({ id: _id, ...state }) => ({ ...state }));
  }
  async create(calendar: CalendarState): Promise<void> {
    this.calendars.push({ ...calendar, id: `cal-${this.nextId++}` });
  }
  async update(uri: string, changes: Partial<Omit<CalendarState, "uri">>): Promise<void> {
    const calendar = this.byUri(uri);
    if (!calendar) throw new Error(`no calendar ${uri}`);
    const recreate = changes.cached !== undefined && changes.cached !== calendar.cached;
    Object.assign(calendar, changes);
    if (recreate) calendar.id = `cal-${this.nextId++}`;
  }
  async remove(uri: string): Promise<void> {
    const index = this.calendars.findIndex((c) => c.uri === uri);
    if (index >= 0) this.calendars.splice(index, 1);
  }
  byUri(uri: string): FakeCalendar | undefined {
    return this.calendars.find((c) => c.uri === uri);
  }
}
