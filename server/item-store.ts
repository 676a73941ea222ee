/**
 * One BlueMind item container (a calendar, or a user's owner-subscriptions container):
 * items keyed by uid, a per-container version sequence and an append-only changelog.
 * Records are replaced, never mutated, so values can be shared safely between states.
 */
import type { ContainerChangeset, ItemValue } from "../src/bluemind/types";
import { computeChangeset, type ChangeLogEntry } from "./changelog";
import { Fault, notFound } from "./fault";

export interface ItemVersionInfo {
  id: number;
  version: number;
  timestamp: number;
}

export interface ItemStoreJson<T> {
  version: number;
  items: ItemValue<T>[];
  log: ChangeLogEntry[];
}

export interface StoreWatcher<T> {
  stored(item: ItemValue<T>): void;
}

export class ItemStore<T> {
  version = 0;
  private readonly byUid = new Map<string, ItemValue<T>>();
  private readonly byId = new Map<number, ItemValue<T>>();
  log: ChangeLogEntry[] = [];

  constructor(
    readonly containerUid: string,
    private readonly nextId: () => number,
    /** Told of each record as it is stored (a calendar's search index, search-index.ts). */
    private readonly watcher?: StoreWatcher<T>,
  ) {}

  get size(): number {
    return this.byUid.size;
  }

  get(uid: string): ItemValue<T> | undefined {
    return this.byUid.get(uid);
  }

  getById(id: number): ItemValue<T> | undefined {
    return this.byId.get(id);
  }

  /** Items in creation (internal id) order. */
  all(): ItemValue<T>[] {
    return [...this.byUid.values()];
  }

  uids(): string[] {
    return [...this.byUid.keys()];
  }

  create(uid: string, value: T, displayName: string | null, author: string, now: number, origin = "bm-core"): ItemValue<T> {
    if (this.byUid.has(uid)) throw new Fault(`${uid} already exists in ${this.containerUid}`, "ALREADY_EXISTS");
    const version = ++this.version;
    const item: ItemValue<T> = {
      uid,
      internalId: this.nextId(),
      version,
      displayName,
      externalId: null,
      createdBy: author,
      updatedBy: author,
      created: now,
      updated: now,
      flags: [],
      value,
    };
    this.put(item);
    this.log.push({ itemUid: uid, internalId: item.internalId, type: "Created", version, date: now, author, origin });
    return item;
  }

  update(uid: string, value: T, displayName: string | null, author: string, now: number, origin = "bm-core"): ItemValue<T> {
    const old = this.byUid.get(uid);
    if (!old) throw notFound(`entry[${uid}]@${this.containerUid} not found`);
    const version = ++this.version;
    const item: ItemValue<T> = { ...old, version, displayName, updatedBy: author, updated: now, value };
    this.put(item);
    this.log.push({ itemUid: uid, internalId: item.internalId, type: "Updated", version, date: now, author, origin });
    return item;
  }

  delete(uid: string, author: string, now: number, origin = "bm-core"): ItemValue<T> | null {
    const old = this.byUid.get(uid);
    if (!old) return null;
    const version = ++this.version;
    this.byUid.delete(uid);
    this.byId.delete(old.internalId);
    this.log.push({ itemUid: uid, internalId: old.internalId, type: "Deleted", version, date: now, author, origin });
    return old;
  }

  changeset(since: number): ContainerChangeset<string> {
    return computeChangeset(this.log, since, (e) => e.itemUid);
  }

  changesetById(since: number): ContainerChangeset<number> {
    return computeChangeset(this.log, since, (e) => e.internalId);
  }

  changesetByVersion(since: number): ContainerChangeset<ItemVersionInfo> {
    return computeChangeset(this.log, since, (e) => ({ id: e.internalId, version: e.version, timestamp: e.date }));
  }

  fullChangesetById(since: number): ContainerChangeset<ItemVersionInfo & { uid: string }> {
    return computeChangeset(this.log, since, (e) => ({ uid: e.itemUid, id: e.internalId, version: e.version, timestamp: e.date }));
  }

  /**
   * BlueMind's change-log cleanup (ChangesetCleanupStore): every entry of an item deleted at
   * or before `cutoff` goes, its creation and updates included, so a client syncing from an
   * older version never hears of that deletion. Live items keep their entries. Returns how
   * many items were forgotten.
   */
  forgetDeletedBefore(cutoff: number): number {
    const last = new Map<string, ChangeLogEntry>();
    for (const entry of this.log) last.set(entry.itemUid, entry);
    const forgotten = new Set([...last.values()].filter((e) => e.type === "Deleted" && e.date <= cutoff).map((e) => e.itemUid));
    if (forgotten.size > 0) this.log = this.log.filter((e) => !forgotten.has(e.itemUid));
    return forgotten.size;
  }

  /**
   * The change log as a fresh copy of the container starts it (a mailbox moved to another
   * backend): one "Created" entry per live item, at the item's version and last change
   * date. Uids, versions and contents stay; the deletions made before are no longer in it.
   */
  restartLog(origin = "bm-core"): void {
    this.log = this.all()
      .sort((a, b) => a.version - b.version)
      .map((item) => ({
        itemUid: item.uid,
        internalId: item.internalId,
        type: "Created" as const,
        version: item.version,
        date: item.updated ?? 0,
        author: item.updatedBy ?? "",
        origin,
      }));
  }

  itemLog(uid: string, since: number): ChangeLogEntry[] {
    return this.log.filter((e) => e.itemUid === uid && e.version > since);
  }

  toJSON(): ItemStoreJson<T> {
    return { version: this.version, items: this.all(), log: this.log };
  }

  static fromJSON<T>(containerUid: string, json: ItemStoreJson<T>, nextId: () => number, watcher?: StoreWatcher<T>): ItemStore<T> {
    const store = new ItemStore<T>(containerUid, nextId, watcher);
    store.version = json.version;
    store.log = json.log;
    for (const item of json.items) store.put(item);
    return store;
  }

  private put(item: ItemValue<T>): void {
    this.byUid.set(item.uid, item);
    this.byId.set(item.internalId, item);
    this.watcher?.stored(item);
  }
}
