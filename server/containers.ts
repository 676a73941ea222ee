/**
 * IContainers (/api/containers/_manage) and IContainerManagement
 * (/api/containers/_manage/{uid}/...): descriptors for the caller, the two `_list` query
 * modes (owner+type = every container of that owner; otherwise "accessible" by raw ACL verb),
 * ACL, settings, personal settings, item count and the offlineSync toggle.
 */
import type { AccessControlEntry, ContainerQuery, ItemValue, Verb } from "../src/bluemind/types";
import { ALL_VERBS, can, check } from "./acl";
import { describe, describeLight } from "./descriptors";
import { Fault, denied, notFound } from "./fault";
import { bodyArray, bodyObject, bodyString, requireCaller, type Ctx, type Router } from "./http";
import type { Caller, ContainerRecord } from "./model";
import type { ServerState } from "./store";

function existing(ctx: Ctx, uid: string): ContainerRecord {
  const c = ctx.state.containers.get(uid);
  if (!c) throw notFound(`Container '${uid}' not found`);
  return c;
}

/** IContainerManagement's factory fails the same way for an unknown container. */
function managed(ctx: Ctx): ContainerRecord {
  const c = ctx.state.containers.get(ctx.params.containerUid!);
  if (!c) throw notFound(`container ${ctx.params.containerUid} not found`);
  return c;
}

/** ContainerStore.findAccessiblesByType: owned, or shared through an ACL entry with a listed verb. */
function accessible(state: ServerState, caller: Caller, q: ContainerQuery): ContainerRecord[] {
  const subjects = new Set([caller.subject, caller.domainUid, "public"]);
  const verbs = q.verb && q.verb.length ? new Set<Verb>(q.verb) : null;
  let out = [...state.containers.values()].filter((c) => {
    const shared = c.acl.some((a) => subjects.has(a.subject) && (!verbs || verbs.has(a.verb)));
    if (c.owner !== caller.subject && !shared) return false;
    if (q.type != null && c.type !== q.type) return false;
    if (q.readonly != null && c.readOnly !== q.readonly) return false;
    if (q.name != null) {
      if (q.name.startsWith("$$")) return c.name === q.name;
      return c.name.toUpperCase().includes(q.name.toUpperCase()) && !c.name.startsWith("$$");
    }
    return true;
  });
  out.sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : a.name.toUpperCase() > b.name.toUpperCase() ? 1 : 0));
  if (q.size && q.size > 0) out = out.slice(0, q.size);
  return out;
}

function list(state: ServerState, caller: Caller, q: ContainerQuery): ContainerRecord[] {
  if (q.owner != null && q.type != null) {
    // FIXME in BlueMind: "not everybody should be able to call this" -- no permission filter.
    return [...state.containers.values()].filter(
      (c) => c.owner === q.owner && c.type === q.type && (q.readonly == null || c.readOnly === q.readonly),
    );
  }
  return accessible(state, caller, q);
}

/** Rename; subscribers' owner-subscription items follow (ShardedSubscriptionsHook.onContainerUpdated). */
export function renameContainer(state: ServerState, c: ContainerRecord, name: string): void {
  if (name === c.name) return;
  c.name = name;
  for (const subject of state.subscribers(c.uid)) state.patchSubscription(subject, c.uid, { name });
  state.changed();
}

function update(ctx: Ctx, c: ContainerRecord): void {
  check(ctx.caller, c, "Manage");
  const d = bodyObject<{ name?: string }>(ctx);
  if (!d.name || d.name.trim() === "") throw new Fault("name cannot be empty", "INVALID_PARAMETER");
  renameContainer(ctx.state, c, d.name);
}

function setAcl(ctx: Ctx, c: ContainerRecord): void {
  const caller = ctx.caller;
  if (!(caller && c.owner === caller.subject) && !can(caller, c, "Manage")) {
    throw denied(`container ${c.uid} is not manageable`);
  }
  const entries = bodyArray<AccessControlEntry>(ctx);
  for (const e of entries) {
    if (!e || typeof e.subject !== "string" || !ALL_VERBS.includes(e.verb)) {
      throw new Fault(`invalid access control entry ${JSON.stringify(e)}`, "INVALID_PARAMETER");
    }
  }
  c.acl = entries.map((e) => ({ subject: e.subject, verb: e.verb }));
  ctx.state.changed();
}

function toggleOfflineSync(ctx: Ctx, value: boolean): void {
  const c = managed(ctx);
  const subject = ctx.params.subject!;
  if (!ctx.caller || ctx.caller.subject !== subject) {
    const who = ctx.caller ? `${ctx.caller.subject}@${ctx.caller.domainUid}` : "anonymous@null";
    throw denied(`${who} Doesnt have role manageUserSubscriptions,self on dirEntry ${subject}@${c.domainUid} `);
  }
  if (!ctx.state.subscription(subject, c.uid)) throw new Fault(`No subscription for container ${c.uid}`);
  // BlueMind fires the offlineSync hook even when the value does not change.
  ctx.state.patchSubscription(subject, c.uid, { offlineSync: value });
}

function itemDescriptors<T>(items: ItemValue<T>[]): Omit<ItemValue<T>, "value">[] {
  return items.map((item) => {
    const descriptor: Partial<ItemValue<T>> & Omit<ItemValue<T>, "value"> = { ...item };
    delete descriptor.value;
    return descriptor;
  });
}

export function registerContainers(r: Router): void {
  const m = "/api/containers/_manage";
  // IContainers
  r.get(`${m}/_ifPresent/{uid}`, (ctx) => {
    requireCaller(ctx);
    const c = ctx.state.containers.get(ctx.params.uid!);
    return c ? describe(ctx.state, c, ctx.caller) : null;
  });
  r.get(`${m}/_light/{uid}`, (ctx) => {
    requireCaller(ctx);
    return describeLight(ctx.state, existing(ctx, ctx.params.uid!));
  });
  r.post(`${m}/_mget`, (ctx) => {
    requireCaller(ctx);
    // BlueMind skips missing containers only ("FIXME perm check is missing").
    return bodyArray<string>(ctx).flatMap((uid) => {
      const c = ctx.state.containers.get(uid);
      return c ? [describe(ctx.state, c, ctx.caller)] : [];
    });
  });
  r.post(`${m}/_list`, (ctx) => {
    const caller = requireCaller(ctx);
    return list(ctx.state, caller, bodyObject<ContainerQuery>(ctx)).map((c) => describe(ctx.state, c, caller));
  });
  r.post(`${m}/_listLight`, (ctx) => {
    const caller = requireCaller(ctx);
    return list(ctx.state, caller, bodyObject<ContainerQuery>(ctx)).map((c) => describeLight(ctx.state, c));
  });
  r.get(`${m}/{uid}`, (ctx) => {
    requireCaller(ctx);
    return describe(ctx.state, existing(ctx, ctx.params.uid!), ctx.caller);
  });
  r.post(`${m}/{uid}`, (ctx) => update(ctx, existing(ctx, ctx.params.uid!)));
  r.post(`${m}/{uid}/_acl`, (ctx) => setAcl(ctx, existing(ctx, ctx.params.uid!)));

  // IContainerManagement
  const cm = `${m}/{containerUid}`;
  r.get(`${cm}/_descriptor`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Manage", "Read");
    return describe(ctx.state, c, ctx.caller);
  });
  r.post(`${cm}/_descriptor`, (ctx) => update(ctx, managed(ctx)));
  r.get(`${cm}/_acl`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Manage");
    return c.acl.map((a) => ({ ...a }));
  });
  r.put(`${cm}/_acl`, (ctx) => setAcl(ctx, managed(ctx)));
  r.get(`${cm}/_settings`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Read");
    return { ...c.settings };
  });
  r.put(`${cm}/_settings`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Manage");
    c.settings = { ...bodyObject<Record<string, string>>(ctx) };
    ctx.state.changed();
  });
  r.put(`${cm}/_settings/{key}`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Manage");
    c.settings = { ...c.settings, [ctx.params.key!]: bodyString(ctx) };
    ctx.state.changed();
  });
  r.put(`${cm}/_personalSettings`, (ctx) => {
    // No ACL check in BlueMind; the whole personal map of the caller is replaced.
    const c = managed(ctx);
    const subject = ctx.caller?.subject ?? "anonymous";
    c.personalSettings = { ...c.personalSettings, [subject]: { ...bodyObject<Record<string, string>>(ctx) } };
    ctx.state.changed();
  });
  r.get(`${cm}/_subscription`, () => {
    throw new Fault("only admin can call this method", "FORBIDDEN");
  });
  r.post(`${cm}/_canAccess`, (ctx) => can(ctx.caller, managed(ctx), ...bodyArray<Verb>(ctx)));
  r.get(`${cm}/_itemCount`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Manage", "Read");
    return { total: ctx.state.stores.get(c.uid)?.size ?? 0 };
  });
  r.get(`${cm}/_list`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Read");
    return itemDescriptors(ctx.state.stores.get(c.uid)?.all() ?? []);
  });
  r.post(`${cm}/_mget`, (ctx) => {
    const c = managed(ctx);
    check(ctx.caller, c, "Read");
    const store = ctx.state.stores.get(c.uid);
    return itemDescriptors(bodyArray<string>(ctx).flatMap((uid) => store?.get(uid) ?? []));
  });
  r.put(`${cm}/{subject}/offlineSync`, (ctx) => toggleOfflineSync(ctx, true));
  r.delete(`${cm}/{subject}/offlineSync`, (ctx) => toggleOfflineSync(ctx, false));
}
