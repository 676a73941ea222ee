/**
 * IUserSubscription (/api/users/{domain}/subscriptions) and IOwnerSubscriptions
 * (/api/containers/_subscriptions/{domain}/{owner}). A subscription row and its
 * `sub-of-<owner>-to-<container>` item are one record here, so every subscribe,
 * unsubscribe, offlineSync/automount change or rename shows up in the owner changeset.
 */
import type { ContainerSubscription, ContainerSubscriptionModel, ItemValue } from "../src/bluemind/types";
import { can } from "./acl";
import { describeSubscription } from "./descriptors";
import { Fault, denied, notFound } from "./fault";
import { bodyArray, queryLong, type Ctx, type Router } from "./http";
import type { Caller } from "./model";

function checkDomain(ctx: Ctx): void {
  if (!ctx.state.domains.has(ctx.params.domainUid!)) throw notFound(`domain ${ctx.params.domainUid} not found`);
}

/**
 * ROLE_SELF (the subject itself, in the domain of the path); nobody in the demo directory
 * has ROLE_MANAGE_USER_SUBSCRIPTIONS.
 */
function checkSelf(ctx: Ctx, subject: string): Caller {
  const caller = ctx.caller;
  const domain = ctx.params.domainUid!;
  if (!caller || caller.subject !== subject || caller.domainUid !== domain) {
    const who = caller ? `${caller.subject}@${caller.domainUid}` : "anonymous@null";
    throw denied(`${who} Doesnt have role manageUserSubscriptions,self on dirEntry ${subject}@${domain} `);
  }
  return caller;
}

function subscribe(ctx: Ctx): void {
  const subject = ctx.params.subject!;
  for (const sub of bodyArray<ContainerSubscription>(ctx)) {
    const c = ctx.state.containers.get(sub?.containerUid);
    if (!c) throw notFound(`Failed to subscribe. Container not found : ${sub?.containerUid}`);
    const caller = checkSelf(ctx, subject);
    if (!can(caller, c, "Read")) {
      throw denied(`${subject}@${ctx.params.domainUid} cannot subscribe to ${c.uid}: no Read permission`);
    }
    ctx.state.subscribe(subject, c, sub.offlineSync === true, sub.automount ?? true);
  }
}

function unsubscribe(ctx: Ctx): void {
  const subject = ctx.params.subject!;
  for (const uid of bodyArray<string>(ctx)) {
    const c = ctx.state.containers.get(uid);
    if (!c) {
      ctx.state.unsubscribe(subject, uid); // "unsub anyway"
      continue;
    }
    if (c.defaultContainer && c.owner === subject) continue; // silently refused
    checkSelf(ctx, subject);
    ctx.state.unsubscribe(subject, uid);
  }
}

function automount(ctx: Ctx): void {
  const subject = ctx.params.subject!;
  for (const sub of bodyArray<ContainerSubscription>(ctx)) {
    const c = ctx.state.containers.get(sub?.containerUid);
    if (!c) throw notFound(`Failed to subscribe. Container not found : ${sub?.containerUid}`);
    checkSelf(ctx, subject);
    if (!ctx.state.subscription(subject, c.uid)) throw new Fault(`No subscription for container ${c.uid}`);
    ctx.state.patchSubscription(subject, c.uid, { automount: sub.automount ?? true });
  }
}

function ownerStore(ctx: Ctx) {
  checkDomain(ctx);
  checkSelf(ctx, ctx.params.ownerUid!);
  return ctx.state.ownerSubscriptions(ctx.params.ownerUid!);
}

export function registerSubscriptions(r: Router): void {
  const base = "/api/users/{domainUid}/subscriptions";
  r.get(`${base}/_subscribers/{containerUid}`, (ctx) => {
    checkDomain(ctx);
    return ctx.state.subscribers(ctx.params.containerUid!);
  });
  r.get(`${base}/{subject}`, (ctx) => {
    checkDomain(ctx);
    checkSelf(ctx, ctx.params.subject!);
    const type = ctx.query.get("type");
    return ctx.state
      .ownerSubscriptions(ctx.params.subject!)
      .all()
      .map((iv) => describeSubscription(ctx.state, iv.value))
      .filter((s) => !type || s.containerType === type);
  });
  r.post(`${base}/{subject}/_subscribe`, (ctx) => {
    checkDomain(ctx);
    subscribe(ctx);
  });
  r.post(`${base}/{subject}/_unsubscribe`, (ctx) => {
    checkDomain(ctx);
    unsubscribe(ctx);
  });
  r.post(`${base}/{subject}/_automount`, (ctx) => {
    checkDomain(ctx);
    automount(ctx);
  });

  const owner = "/api/containers/_subscriptions/{domainUid}/{ownerUid}";
  r.get(`${owner}/_list`, (ctx) => ownerStore(ctx).all());
  r.get(`${owner}/{uid}/complete`, (ctx) => ownerStore(ctx).get(ctx.params.uid!) ?? null);
  r.get(`${owner}/{id}/completeById`, (ctx) => ownerStore(ctx).getById(Number(ctx.params.id)) ?? null);
  r.post(`${owner}/_mget`, (ctx) => {
    const store = ownerStore(ctx);
    return bodyArray<string>(ctx)
      .map((uid) => store.get(uid))
      .filter((iv): iv is ItemValue<ContainerSubscriptionModel> => iv !== undefined);
  });
  r.post(`${owner}/_mgetById`, (ctx) => {
    const store = ownerStore(ctx);
    return bodyArray<number>(ctx)
      .map((id) => store.getById(id))
      .filter((iv): iv is ItemValue<ContainerSubscriptionModel> => iv !== undefined);
  });
  r.get(`${owner}/_changeset`, (ctx) => ownerStore(ctx).changeset(queryLong(ctx, "since")));
  r.get(`${owner}/_changesetById`, (ctx) => ownerStore(ctx).changesetById(queryLong(ctx, "since")));
  r.get(`${owner}/_fullChangesetById`, (ctx) => ownerStore(ctx).fullChangesetById(queryLong(ctx, "since")));
  r.get(`${owner}/_version`, (ctx) => ownerStore(ctx).version);
}
