/**
 * ICalendar (/api/calendars/{containerUid}), ICalendars (/api/calendars/_search) and the
 * IVEvent ICS export. Reads need Read and come back privacy-filtered; writes need Write;
 * missing items are skipped by _mget and answer 204 (null) on `complete`.
 */
import type { CalendarsQuery, ItemContainerValue, ItemValue, VEventChanges, VEventSeries } from "../src/bluemind/types";
import { can, check } from "./acl";
import { applyChanges, calendarStore, createEvent, deleteEvent, updateEvent } from "./calendar-write";
import { Fault, notFound } from "./fault";
import { bodyArray, bodyObject, queryLong, RawReply, type Ctx, type Router } from "./http";
import { exportCalendarIcs } from "./ics-export";
import type { ContainerRecord } from "./model";
import { maskForCaller } from "./privacy";
import { searchCalendar } from "./search";

function calendarOf(ctx: Ctx, uid = ctx.params.containerUid!): ContainerRecord {
  const c = ctx.state.containers.get(uid);
  if (!c) throw notFound(`container ${uid} not found`);
  if (c.type !== "calendar") throw new Fault(`Incompatible calendar container type: ${c.type}, uid: ${c.uid}`);
  return c;
}

/** Calendar + Read check + its store, for every read endpoint. */
function readable(ctx: Ctx) {
  const c = calendarOf(ctx);
  check(ctx.caller, c, "Read");
  return { c, store: calendarStore(ctx.state, c), mask: (iv: ItemValue<VEventSeries>) => maskForCaller(iv, ctx.caller, c) };
}

/** The `sendNotifications` query parameter of create, update and delete (BlueMind's default: false). */
const notifying = (ctx: Ctx): boolean => ctx.query.get("sendNotifications")?.toLowerCase() === "true";

function present<T>(v: T | undefined): v is T {
  return v !== undefined;
}

function flagFilterCount(ctx: Ctx, items: ItemValue<VEventSeries>[]): number {
  const f = (ctx.body ?? {}) as { must?: string[]; mustNot?: string[] };
  return items.filter(
    (iv) =>
      (f.must ?? []).every((fl) => (iv.flags as string[]).includes(fl)) &&
      !(f.mustNot ?? []).some((fl) => (iv.flags as string[]).includes(fl)),
  ).length;
}

function multiSearch(ctx: Ctx): ItemContainerValue<VEventSeries>[] {
  const q = bodyObject<CalendarsQuery>(ctx);
  const containers = new Set(q.containers ?? []);
  if (q.owner != null) {
    for (const c of ctx.state.containers.values()) if (c.type === "calendar" && c.owner === q.owner) containers.add(c.uid);
  }
  if (q.owner == null && containers.size === 0 && ctx.caller) {
    for (const s of ctx.state.ownerSubscriptions(ctx.caller.subject).all()) {
      if (s.value.containerType === "calendar") containers.add(s.value.containerUid);
    }
  }
  const out: ItemContainerValue<VEventSeries>[] = [];
  for (const uid of containers) {
    const c = calendarOf(ctx, uid);
    if (!can(ctx.caller, c, "Read")) continue; // PERMISSION_DENIED is logged and skipped
    for (const iv of searchCalendar(ctx.state, c, ctx.caller, q.eventQuery ?? {}).values) {
      const item: Partial<ItemValue<VEventSeries>> & ItemContainerValue<VEventSeries> = { ...iv, containerUid: uid };
      delete item.internalId;
      delete item.flags;
      out.push(item);
    }
  }
  return out;
}

export function registerCalendars(r: Router): void {
  r.post("/api/calendars/_search", multiSearch);

  const v = "/api/calendars/vevent/{containerUid}";
  r.get(v, (ctx) => {
    const { store, mask } = readable(ctx);
    return new RawReply(exportCalendarIcs(store.all().map(mask)), "text/calendar;charset=UTF-8");
  });
  r.get(`${v}/{uid}`, (ctx) => {
    const { store, mask } = readable(ctx);
    const iv = store.get(ctx.params.uid!);
    return iv ? exportCalendarIcs([mask(iv)]) : null;
  });

  const b = "/api/calendars/{containerUid}";
  r.get(`${b}/_changeset`, (ctx) => readable(ctx).store.changeset(queryLong(ctx, "since")));
  r.get(`${b}/_changesetById`, (ctx) => readable(ctx).store.changesetById(queryLong(ctx, "since")));
  r.post(`${b}/_filteredChangesetById`, (ctx) => readable(ctx).store.changesetByVersion(queryLong(ctx, "since")));
  r.get(`${b}/_version`, (ctx) => readable(ctx).store.version);
  r.post(`${b}/_mget`, (ctx) => {
    const { store, mask } = readable(ctx);
    return bodyArray<string>(ctx)
      .map((uid) => store.get(uid))
      .filter(present)
      .map(mask);
  });
  r.post(`${b}/_mgetById`, (ctx) => {
    const { store, mask } = readable(ctx);
    return bodyArray<number>(ctx)
      .map((id) => store.getById(id))
      .filter(present)
      .map(mask);
  });
  r.get(`${b}/_all`, (ctx) => readable(ctx).store.uids());
  r.get(`${b}/_list`, (ctx) => {
    const { store, mask } = readable(ctx);
    const values = store.all().map(mask);
    return { values, total: values.length };
  });
  r.get(`${b}/_icsuid/{icsUid}`, (ctx) => {
    const { store, mask } = readable(ctx);
    return store
      .all()
      .filter((iv) => iv.value.icsUid === ctx.params.icsUid)
      .map(mask);
  });
  r.post(`${b}/_search`, (ctx) => searchCalendar(ctx.state, calendarOf(ctx), ctx.caller, ctx.body ?? {}));
  r.post(`${b}/_count`, (ctx) => ({ total: flagFilterCount(ctx, readable(ctx).store.all()) }));
  r.put(`${b}/_mupdates`, (ctx) => applyChanges(ctx.state, calendarOf(ctx), ctx.caller, ctx.body as VEventChanges | null));
  r.put(`${b}/_sync`, (ctx) => {
    const c = calendarOf(ctx);
    applyChanges(ctx.state, c, ctx.caller, ctx.body as VEventChanges | null);
    return readable(ctx).store.changeset(queryLong(ctx, "since"));
  });
  r.get(`${b}/{uid}/complete`, (ctx) => {
    const { store, mask } = readable(ctx);
    const iv = store.get(ctx.params.uid!);
    return iv ? mask(iv) : null;
  });
  r.get(`${b}/{id}/completeById`, (ctx) => {
    const { store, mask } = readable(ctx);
    const iv = store.getById(Number(ctx.params.id));
    return iv ? mask(iv) : null;
  });
  r.get(`${b}/{uid}/_itemchangelog`, (ctx) => {
    const { store } = readable(ctx);
    return { entries: store.itemLog(ctx.params.uid!, queryLong(ctx, "since")) };
  });
  r.put(`${b}/{uid}`, (ctx) => {
    createEvent(ctx.state, calendarOf(ctx), ctx.caller, ctx.params.uid!, ctx.body as VEventSeries, notifying(ctx));
  });
  r.post(`${b}/{uid}`, (ctx) => {
    updateEvent(ctx.state, calendarOf(ctx), ctx.caller, ctx.params.uid!, ctx.body as VEventSeries, notifying(ctx));
  });
  r.delete(`${b}/{uid}`, (ctx) => deleteEvent(ctx.state, calendarOf(ctx), ctx.caller, ctx.params.uid!, notifying(ctx)));
}
