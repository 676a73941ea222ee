/**
 * The reference server's whole state: domains, directory, users, containers with ACL and
 * settings, item stores (calendars, owner subscriptions), API keys and sessions. Every
 * mutation calls `changed()` so persistence can save; small helpers here serve tests and
 * fixtures. Users, containers and directory entries each carry their own domain; `domainUid`
 * is the default domain (what `_infos.defaultDomain` answers).
 */
import type { APIKey, ContainerSubscriptionModel, VEventSeries } from "../src/bluemind/types";
import { bulkEvents } from "./events-bulk";
import { ChangesetCleanup } from "./history";
import { ItemStore, type ItemStoreJson } from "./item-store";
import type { AuthType, ContainerRecord, DirEntry, DomainRecord, Session, UserRecord } from "./model";
import { indexSeries } from "./search-index";

const SEARCH_INDEX = { stored: indexSeries };

export const STATE_FORMAT = "bluemind-reference-server/1";

export interface ServerStateJson {
  format: string;
  /** The default domain. */
  domainUid: string;
  /** Every domain; absent in files written before there were several (then: the default, INTERNAL). */
  domains?: DomainRecord[];
  createdAt: number;
  nextId: number;
  directory: DirEntry[];
  users: UserRecord[];
  containers: ContainerRecord[];
  stores: Record<string, ItemStoreJson<unknown>>;
  apiKeys: APIKey[];
}

export function seriesDisplayName(s: VEventSeries): string | null {
  return s.main?.summary ?? s.occurrences?.[0]?.summary ?? null;
}

export class ServerState {
  readonly domains = new Map<string, DomainRecord>();
  readonly directory = new Map<string, DirEntry>();
  readonly users = new Map<string, UserRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  readonly stores = new Map<string, ItemStore<unknown>>();
  readonly apiKeyRecords = new Map<string, APIKey>();
  readonly sessions = new Map<string, Session>();
  /** Idle timeout of session keys (not API keys); null = never expire. */
  sessionIdleMs: number | null = null;
  /** Called after every mutation (persistence hooks in here). */
  onChange: (() => void) | null = null;
  private nextId = 1000;

  constructor(
    /** The default domain (created INTERNAL); other domains are added with addDomain. */
    readonly domainUid: string,
    /** When the state was first created: the anchor of the demo events. */
    readonly createdAt: number = Date.now(),
  ) {
    this.addDomain(domainUid, "INTERNAL");
  }

  /** How far the server's clock is ahead of the real one (a fault the tests inject). */
  clockOffsetMs = 0;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** BlueMind's periodic change-log cleanup (history.ts): deletions older than the retention leave the log. */
  readonly changesetCleanup = new ChangesetCleanup(this.now());

  newId(): number {
    return this.nextId++;
  }

  changed(): void {
    this.onChange?.();
  }

  // ---- domains, directory and users ----

  addDomain(uid: string, authType: AuthType, name = uid): DomainRecord {
    const d: DomainRecord = { uid, name, authType };
    this.domains.set(uid, d);
    return d;
  }

  /** The domain of a directory entry (user, domain calendar...), or null when unknown. */
  domainOf(entryUid: string): string | null {
    return this.users.get(entryUid)?.domainUid ?? this.directory.get(entryUid)?.domainUid ?? null;
  }

  addDirEntry(e: DirEntry): void {
    this.directory.set(e.uid, e);
  }

  addUser(u: UserRecord): void {
    this.users.set(u.uid, u);
    this.addDirEntry({
      uid: u.uid,
      kind: "USER",
      displayName: u.displayName,
      path: `${u.domainUid}/users/${u.uid}`,
      domainUid: u.domainUid,
    });
  }

  /** BlueMind's lookup: `local@domain` by login in that domain, then by email. */
  userByLogin(login: string): UserRecord | undefined {
    const at = login.indexOf("@");
    const local = at >= 0 ? login.slice(0, at) : login;
    const domain = at >= 0 ? login.slice(at + 1) : "global.virt";
    for (const u of this.users.values()) {
      if (u.domainUid === domain && u.login === local) return u;
    }
    for (const u of this.users.values()) {
      if (u.email === login) return u;
    }
    return undefined;
  }

  // ---- containers ----

  addContainer(
    c: Omit<ContainerRecord, "internalId" | "personalSettings" | "settings" | "acl" | "readOnly" | "datalocation"> &
      Partial<ContainerRecord>,
  ): ContainerRecord {
    const record: ContainerRecord = {
      internalId: this.newId(),
      readOnly: false,
      datalocation: "bm-master",
      acl: [],
      settings: {},
      personalSettings: {},
      ...c,
    };
    this.containers.set(record.uid, record);
    if (record.type === "calendar") this.stores.set(record.uid, new ItemStore<VEventSeries>(record.uid, () => this.newId(), SEARCH_INDEX));
    return record;
  }

  calendar(containerUid: string): ItemStore<VEventSeries> | undefined {
    const c = this.containers.get(containerUid);
    if (!c || c.type !== "calendar") return undefined;
    return this.stores.get(containerUid) as ItemStore<VEventSeries> | undefined;
  }

  // ---- subscriptions (t_container_sub + owner-subscription items, kept as one) ----

  /** `owner_subscriptions_<owner>_at_<owner's domain>` (IOwnerSubscriptionUids). */
  ownerSubscriptionsUid(ownerUid: string): string {
    return `owner_subscriptions_${ownerUid}_at_${this.domainOf(ownerUid) ?? this.domainUid}`;
  }

  static subscriptionItemUid(ownerUid: string, containerUid: string): string {
    return `sub-of-${ownerUid}-to-${containerUid}`;
  }

  ownerSubscriptions(ownerUid: string): ItemStore<ContainerSubscriptionModel> {
    const uid = this.ownerSubscriptionsUid(ownerUid);
    let s = this.stores.get(uid);
    if (!s) {
      s = new ItemStore<ContainerSubscriptionModel>(uid, () => this.newId());
      this.stores.set(uid, s);
    }
    return s as ItemStore<ContainerSubscriptionModel>;
  }

  /** The subject's subscription to a container, or null. */
  subscription(userUid: string, containerUid: string): ContainerSubscriptionModel | null {
    return this.ownerSubscriptions(userUid).get(ServerState.subscriptionItemUid(userUid, containerUid))?.value ?? null;
  }

  /**
   * UserSubscriptionService.subscribe for one container: creates the row, or, when already
   * subscribed, only updates offlineSync and only if it changed. Returns whether anything changed.
   */
  subscribe(subject: string, container: ContainerRecord, offlineSync: boolean, automount = true): boolean {
    const store = this.ownerSubscriptions(subject);
    const itemUid = ServerState.subscriptionItemUid(subject, container.uid);
    const existing = store.get(itemUid);
    if (!existing) {
      const value: ContainerSubscriptionModel = {
        containerUid: container.uid,
        offlineSync,
        automount,
        containerType: container.type,
        owner: container.owner,
        defaultContainer: container.defaultContainer,
        name: container.name,
      };
      store.create(itemUid, value, container.uid, subject, this.now());
    } else if (existing.value.offlineSync !== offlineSync) {
      store.update(itemUid, { ...existing.value, offlineSync }, container.uid, subject, this.now());
    } else {
      return false;
    }
    this.changed();
    return true;
  }

  unsubscribe(subject: string, containerUid: string): boolean {
    const removed = this.ownerSubscriptions(subject).delete(ServerState.subscriptionItemUid(subject, containerUid), subject, this.now());
    if (removed) this.changed();
    return removed !== null;
  }

  /** Rewrites one field set of an existing subscription item (offlineSync toggles, automount, rename). */
  patchSubscription(subject: string, containerUid: string, patch: Partial<ContainerSubscriptionModel>): boolean {
    const store = this.ownerSubscriptions(subject);
    const itemUid = ServerState.subscriptionItemUid(subject, containerUid);
    const existing = store.get(itemUid);
    if (!existing) return false;
    store.update(itemUid, { ...existing.value, ...patch }, containerUid, subject, this.now());
    this.changed();
    return true;
  }

  /** Subjects subscribed to a container. */
  subscribers(containerUid: string): string[] {
    const out: string[] = [];
    for (const u of this.directory.keys()) {
      const s = this.stores.get(this.ownerSubscriptionsUid(u));
      if (s?.get(ServerState.subscriptionItemUid(u, containerUid))) out.push(u);
    }
    return out;
  }

  /**
   * IContainers.delete: the container and its items go, and so does every subscription to it
   * (BlueMind's subscription hook unsubscribes the subscribers). Returns whether it existed.
   */
  deleteContainer(containerUid: string): boolean {
    if (!this.containers.has(containerUid)) return false;
    for (const subject of this.subscribers(containerUid)) {
      this.ownerSubscriptions(subject).delete(ServerState.subscriptionItemUid(subject, containerUid), subject, this.now());
    }
    this.containers.delete(containerUid);
    this.stores.delete(containerUid);
    this.changed();
    return true;
  }

  // ---- API keys ----

  apiKeys(userUid: string): APIKey[] {
    return [...this.apiKeyRecords.values()].filter((k) => k.subject === userUid);
  }

  // ---- test helpers ----

  calendarItemCount(containerUid: string): number {
    return this.calendar(containerUid)?.size ?? 0;
  }

  /** Bulk-adds `n` simple past single events (deterministic per container and count). */
  addEvents(containerUid: string, n: number): string[] {
    const store = this.calendar(containerUid);
    if (!store) throw new Error(`no calendar ${containerUid}`);
    const owner = this.containers.get(containerUid)!.owner;
    const now = this.now();
    const uids: string[] = [];
    for (const { uid, series } of bulkEvents(`${containerUid}#${store.version}`, n)) {
      store.create(uid, series, seriesDisplayName(series), owner, now);
      uids.push(uid);
    }
    this.changed();
    return uids;
  }

  // ---- persistence ----

  toJSON(): ServerStateJson {
    const stores: Record<string, ItemStoreJson<unknown>> = {};
    for (const [uid, s] of this.stores) stores[uid] = s.toJSON();
    return {
      format: STATE_FORMAT,
      domainUid: this.domainUid,
      domains: [...this.domains.values()],
      createdAt: this.createdAt,
      nextId: this.nextId,
      directory: [...this.directory.values()],
      users: [...this.users.values()],
      containers: [...this.containers.values()],
      stores,
      apiKeys: [...this.apiKeyRecords.values()],
    };
  }

  static fromJSON(json: ServerStateJson): ServerState {
    if (json.format !== STATE_FORMAT) throw new Error(`unsupported state format ${json.format}`);
    const state = new ServerState(json.domainUid, json.createdAt);
    state.load(json);
    return state;
  }

  /** A backup of the databases: everything but the sessions (see history.ts). */
  backup(): ServerStateJson {
    return structuredClone(this.toJSON());
  }

  /**
   * The server restored from `backup`: every container, item, version and API key goes back
   * to what it was then; what came later is gone. Sessions go too (core restarts).
   */
  restoreBackup(backup: ServerStateJson): void {
    for (const map of [this.domains, this.directory, this.users, this.containers, this.stores, this.apiKeyRecords, this.sessions])
      map.clear();
    this.load(structuredClone(backup));
    this.changed();
  }

  private load(json: ServerStateJson): void {
    this.nextId = json.nextId;
    for (const d of json.domains ?? [{ uid: json.domainUid, name: json.domainUid, authType: "INTERNAL" as const }])
      this.domains.set(d.uid, d);
    for (const e of json.directory) this.directory.set(e.uid, e);
    for (const u of json.users) this.users.set(u.uid, u);
    for (const c of json.containers) this.containers.set(c.uid, c);
    for (const [uid, s] of Object.entries(json.stores))
      this.stores.set(
        uid,
        this.containers.get(uid)?.type === "calendar"
          ? ItemStore.fromJSON(uid, s as ItemStoreJson<VEventSeries>, () => this.newId(), SEARCH_INDEX)
          : ItemStore.fromJSON(uid, s, () => this.newId()),
      );
    for (const k of json.apiKeys) this.apiKeyRecords.set(k.sid, k);
  }
}
