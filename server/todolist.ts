/**
 * ITodoList (/api/todolist/{containerUid}): BlueMind's todo-list API, the calendars' changelog
 * calls with VTodo items. Reads need Read, writes Write, `_reset` Manage; missing items are
 * skipped by `_mget` and answer 204 (null) on `complete`. `_search` filters like BlueMind's
 * Elasticsearch query (VTodoIndexStore): with dateMin/dateMax a task matches by its due date
 * (a recurring one whose rule has not ended matches whatever its due date), and each recurring
 * match is listed once per occurrence in the window, as OccurrenceHelper does.
 */
import type { VTodo, VTodoChanges, VTodoQuery } from "../src/bluemind/todo-types";
import type { BmDateTime, ItemValue, ListResult, VEventSeries } from "../src/bluemind/types";
import { check } from "./acl";
import { bmDate, bmDateTime, parseBmDate, toInstant } from "./bmdate";
import { Fault, notFound } from "./fault";
import { bodyArray, queryLong, type Ctx, type Router } from "./http";
import type { ContainerRecord } from "./model";
import { seriesInstances } from "./recurrence";
import { applyTodoChanges, createTodo, deleteTodo, todoStore, updateTodo } from "./todo-write";
import { utcToWall } from "./tz";

export const TODOLIST_TYPE = "todolist";

function todoListOf(ctx: Ctx, uid = ctx.params.containerUid!): ContainerRecord {
  const c = ctx.state.containers.get(uid);
  if (!c) throw notFound(`container ${uid} not found`);
  if (c.type !== TODOLIST_TYPE) throw new Fault(`Incompatible todolist container type: ${c.type}, uid: ${c.uid}`);
  return c;
}

function readable(ctx: Ctx) {
  const c = todoListOf(ctx);
  check(ctx.caller, c, "Read");
  return { c, store: todoStore(ctx.state, c) };
}

const present = <T>(v: T | undefined): v is T => v !== undefined;

/** ES range bound on a date field: strictly after / before, a value without a zone read as UTC. */
function gt(d: BmDateTime | null | undefined, bound: BmDateTime): boolean {
  return !!d && toInstant(d) > toInstant(bound);
}

function lt(d: BmDateTime | null | undefined, bound: BmDateTime): boolean {
  return !!d && toInstant(d) < toInstant(bound);
}

function matchesDates(t: VTodo, q: VTodoQuery): boolean {
  const { dateMin, dateMax } = q;
  if (!dateMin && !dateMax) return true;
  const due = (!dateMin || gt(t.due, dateMin)) && (!dateMax || lt(t.due, dateMax));
  const until = dateMin ?? dateMax!;
  const recurring = !!t.rrule && (!t.rrule.until || gt(t.rrule.until, until));
  return due || recurring;
}

function matchesText(t: VTodo, query: string): boolean {
  const haystack = [t.summary, t.description, t.location, ...(t.categories ?? []).map((c) => c.label)].join(" ").toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w && w !== "*")
    .every((w) => haystack.includes(w.replace(/^[\w.]+:/, "").replace(/\*/g, "")));
}

/** The same wall-clock value shape as `like`, at an instant. */
function at(ms: number, like: BmDateTime): BmDateTime {
  const p = parseBmDate(like);
  if (p.isDate) {
    const w = utcToWall("UTC", ms);
    return bmDate(w.year, w.month, w.day);
  }
  const tz = like.timezone ?? "UTC";
  return bmDateTime(tz, utcToWall(tz, ms));
}

/** OccurrenceHelper.list: one copy per occurrence in [dateMin, dateMax], dtstart and due moved. */
function occurrences(iv: ItemValue<VTodo>, dateMin: BmDateTime, dateMax: BmDateTime): ItemValue<VTodo>[] {
  const t = iv.value;
  const start = t.dtstart ?? t.due;
  if (!start || !t.rrule) return [iv];
  const series: VEventSeries = {
    main: { dtstart: start, dtend: t.due ?? start, rrule: t.rrule, exdate: t.exdate ?? null, rdate: t.rdate ?? null },
    occurrences: [],
    icsUid: t.uid,
  };
  const min = toInstant(dateMin);
  const max = toInstant(dateMax);
  const out: ItemValue<VTodo>[] = [];
  for (const inst of seriesInstances(series, "UTC", max, min)) {
    if (inst.end < min || inst.start >= max) continue;
    const copy: VTodo = { ...t };
    if (t.dtstart) copy.dtstart = at(inst.start, t.dtstart);
    if (t.due) copy.due = at(inst.end, t.due);
    out.push({ ...iv, value: copy });
  }
  return out;
}

function search(ctx: Ctx): ListResult<ItemValue<VTodo>> {
  const { store } = readable(ctx);
  const q = (ctx.body ?? {}) as VTodoQuery;
  const text = (q.query ?? "").trim();
  const hits = store
    .all()
    .filter(
      (iv) => (q.todoUid == null || iv.value.uid === q.todoUid) && (!text || matchesText(iv.value, text)) && matchesDates(iv.value, q),
    );
  const page = q.size != null && q.size > 0 ? hits.slice(q.from ?? 0, (q.from ?? 0) + q.size) : hits;
  const values = q.dateMin && q.dateMax ? page.flatMap((iv) => (iv.value.rrule ? occurrences(iv, q.dateMin!, q.dateMax!) : [iv])) : page;
  return { values, total: hits.length };
}

/** ICountingSupport.count with an ItemFlagFilter. */
function count(ctx: Ctx): { total: number } {
  const f = (ctx.body ?? {}) as { must?: string[]; mustNot?: string[] };
  const items = readable(ctx).store.all();
  const has = (iv: ItemValue<VTodo>, flag: string): boolean => (iv.flags as string[]).includes(flag);
  return { total: items.filter((iv) => (f.must ?? []).every((fl) => has(iv, fl)) && !(f.mustNot ?? []).some((fl) => has(iv, fl))).length };
}

/** `_copy` needs Read here and Write on the destination; `_move` Write on both. */
function copyTo(ctx: Ctx, move: boolean): void {
  const source = todoListOf(ctx);
  check(ctx.caller, source, move ? "Write" : "Read");
  const dest = todoListOf(ctx, ctx.params.destContainerUid);
  const store = todoStore(ctx.state, source);
  for (const uid of bodyArray<string>(ctx)) {
    const iv = store.get(uid);
    if (!iv) continue;
    createTodo(ctx.state, dest, ctx.caller, uid, { ...iv.value });
    if (move) deleteTodo(ctx.state, source, ctx.caller, uid);
  }
}

export function registerTodoLists(r: Router): void {
  const b = "/api/todolist/{containerUid}";
  r.get(b, (ctx) => readable(ctx).store.all());
  r.get(`${b}/_all`, (ctx) => readable(ctx).store.uids());
  r.get(`${b}/_changeset`, (ctx) => readable(ctx).store.changeset(queryLong(ctx, "since")));
  r.get(`${b}/_changesetById`, (ctx) => readable(ctx).store.changesetById(queryLong(ctx, "since")));
  r.post(`${b}/_filteredChangesetById`, (ctx) => readable(ctx).store.changesetByVersion(queryLong(ctx, "since")));
  r.get(`${b}/_version`, (ctx) => readable(ctx).store.version);
  r.post(`${b}/_mget`, (ctx) => {
    const { store } = readable(ctx);
    return bodyArray<string>(ctx)
      .map((uid) => store.get(uid))
      .filter(present);
  });
  r.post(`${b}/_mgetById`, (ctx) => {
    const { store } = readable(ctx);
    return bodyArray<number>(ctx)
      .map((id) => store.getById(id))
      .filter(present);
  });
  r.get(`${b}/_icsuid/{uid}`, (ctx) =>
    readable(ctx)
      .store.all()
      .filter((iv) => iv.value.uid === ctx.params.uid),
  );
  r.post(`${b}/_search`, search);
  r.post(`${b}/_count`, count);
  r.put(`${b}/_mupdates`, (ctx) => applyTodoChanges(ctx.state, todoListOf(ctx), ctx.caller, ctx.body as VTodoChanges | null));
  r.post(`${b}/_sync`, (ctx) => {
    const c = todoListOf(ctx);
    if (ctx.body != null) applyTodoChanges(ctx.state, c, ctx.caller, ctx.body);
    return readable(ctx).store.changeset(queryLong(ctx, "since"));
  });
  r.post(`${b}/_reset`, (ctx) => {
    const c = todoListOf(ctx);
    check(ctx.caller, c, "Manage");
    const store = todoStore(ctx.state, c);
    for (const uid of store.uids()) store.delete(uid, ctx.caller!.subject, ctx.state.now(), ctx.caller!.origin);
    ctx.state.changed();
  });
  r.post(`${b}/_copy/{destContainerUid}`, (ctx) => copyTo(ctx, false));
  r.post(`${b}/_move/{destContainerUid}`, (ctx) => copyTo(ctx, true));
  r.get(`${b}/{uid}/complete`, (ctx) => readable(ctx).store.get(ctx.params.uid!) ?? null);
  r.get(`${b}/{id}/completeById`, (ctx) => readable(ctx).store.getById(Number(ctx.params.id)) ?? null);
  r.get(`${b}/{uid}/_itemchangelog`, (ctx) => ({ entries: readable(ctx).store.itemLog(ctx.params.uid!, queryLong(ctx, "since")) }));
  r.put(`${b}/{uid}`, (ctx) => {
    createTodo(ctx.state, todoListOf(ctx), ctx.caller, ctx.params.uid!, ctx.body as VTodo | null);
  });
  r.post(`${b}/{uid}`, (ctx) => {
    updateTodo(ctx.state, todoListOf(ctx), ctx.caller, ctx.params.uid!, ctx.body as VTodo | null);
  });
  r.delete(`${b}/{uid}`, (ctx) => deleteTodo(ctx.state, todoListOf(ctx), ctx.caller, ctx.params.uid!));
}
