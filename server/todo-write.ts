/**
 * Task writes as BlueMind's TodoListService performs them: VTodoSanitizer (the shared rules of
 * src/convert/vtodo-sanitize.ts, plus resolving organizer and attendees in the directory),
 * VTodoValidator, a create whose VTodo uid already exists returning silently, an update of an
 * unknown uid answering NOT_FOUND, a delete of one doing nothing, and `_mupdates` with per-item
 * errors (add = create-or-update, modify = update-or-create).
 */
import { randomUUID } from "node:crypto";
import type { VTodo, VTodoChanges } from "../src/bluemind/todo-types";
import type { Attendee, ContainerUpdatesResult, ItemValue, Organizer } from "../src/bluemind/types";
import { sanitizeTodo } from "../src/convert/vtodo-sanitize";
import { check } from "./acl";
import { toInstant, validateBmDate } from "./bmdate";
import { Fault } from "./fault";
import { ItemStore } from "./item-store";
import type { Caller, ContainerRecord, DirEntry } from "./model";
import type { ServerState } from "./store";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The container's item store, made on first use for a todo list created without one. */
export function todoStore(state: ServerState, c: ContainerRecord): ItemStore<VTodo> {
  let store = state.stores.get(c.uid);
  if (!store) {
    store = new ItemStore<VTodo>(c.uid, () => state.newId());
    state.stores.set(c.uid, store);
  }
  return store as ItemStore<VTodo>;
}

/** VTodoSanitizer.resolve: a `bm://` dir first, else the address. */
function resolve(
  state: ServerState,
  dir: string | null | undefined,
  mailto: string | null | undefined,
): { entry: DirEntry; email: string } | null {
  let entry: DirEntry | undefined;
  if (dir?.startsWith("bm://")) {
    const path = dir.slice("bm://".length);
    entry = [...state.directory.values()].find((e) => e.path === path);
  } else if (mailto) {
    const user = [...state.users.values()].find((u) => u.email.toLowerCase() === mailto.toLowerCase());
    entry = user ? state.directory.get(user.uid) : undefined;
  }
  if (!entry) return null;
  return { entry, email: state.users.get(entry.uid)?.email ?? mailto ?? "" };
}

function resolveOrganizer(state: ServerState, o: Organizer): Organizer {
  const out = { ...o };
  if (out.mailto && !EMAIL.test(out.mailto)) out.mailto = null;
  const found = resolve(state, out.dir, out.mailto);
  if (found) return { ...out, dir: `bm://${found.entry.path}`, mailto: found.email, commonName: found.entry.displayName };
  return { ...out, dir: null, commonName: out.commonName ?? out.mailto ?? null };
}

function resolveAttendee(state: ServerState, a: Attendee): Attendee {
  const out = { ...a, commonName: a.commonName ?? a.mailto ?? null };
  if (out.mailto && !EMAIL.test(out.mailto)) out.mailto = null;
  const found = resolve(state, out.dir, out.mailto);
  if (!found) return { ...out, dir: null, internal: false };
  return { ...out, dir: `bm://${found.entry.path}`, commonName: found.entry.displayName, mailto: found.email, internal: true };
}

/** VTodoSanitizer.sanitize(old, todo). */
function sanitize(state: ServerState, todo: VTodo, old: VTodo | null): VTodo {
  const out = sanitizeTodo(todo, state.now(), randomUUID, old);
  if (todo.organizer) out.organizer = resolveOrganizer(state, todo.organizer);
  if (todo.attendees && todo.attendees.length > 0) out.attendees = todo.attendees.map((a) => resolveAttendee(state, a));
  return out;
}

/** VTodoValidator.validate, plus BlueMind's date validation. */
function validate(todo: VTodo | null | undefined): asserts todo is VTodo {
  if (!todo || typeof todo !== "object") throw new Fault("VTodo is null", "INVALID_PARAMETER");
  for (const d of [todo.dtstart, todo.due, todo.completed, ...(todo.exdate ?? []), ...(todo.rdate ?? [])]) validateBmDate(d);
  const r = todo.rrule;
  if (r) {
    if (!r.frequency) throw new Fault("VTodo.RRule.frequency is null for vtodo.", "INVALID_PARAMETER");
    const end = todo.due ?? todo.dtstart;
    validateBmDate(r.until);
    if (r.until && end && toInstant(r.until) < toInstant(end)) throw new Fault("RRule.until is prior to event date", "INVALID_PARAMETER");
  }
}

function byIcsUid(store: ItemStore<VTodo>, icsUid: string): ItemValue<VTodo> | undefined {
  return store.all().find((iv) => iv.value.uid === icsUid);
}

/** TodoListService.doCreate: null when a task with the same VTodo uid exists (then nothing is stored). */
export function createTodo(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  uid: string,
  todo: VTodo | null,
): ItemValue<VTodo> | null {
  check(caller, c, "Write");
  if (todo == null || typeof todo !== "object") throw new Fault("VTodo is null", "INVALID_PARAMETER");
  const clean = sanitize(state, todo, null);
  validate(clean);
  const store = todoStore(state, c);
  if (clean.uid && byIcsUid(store, clean.uid)) return null;
  const item = store.create(uid, clean, clean.summary ?? null, caller!.subject, state.now(), caller!.origin);
  state.changed();
  return item;
}

export function updateTodo(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  uid: string,
  todo: VTodo | null,
): ItemValue<VTodo> {
  check(caller, c, "Write");
  const store = todoStore(state, c);
  const old = store.get(uid);
  if (!old) throw new Fault(`VTodo uid:${uid} doesn't exist !`, "NOT_FOUND");
  if (todo == null || typeof todo !== "object") throw new Fault("VTodo is null", "INVALID_PARAMETER");
  const clean = sanitize(state, todo, old.value);
  validate(clean);
  const item = store.update(uid, clean, clean.summary ?? null, caller!.subject, state.now(), caller!.origin);
  state.changed();
  return item;
}

export function deleteTodo(state: ServerState, c: ContainerRecord, caller: Caller | null, uid: string): void {
  check(caller, c, "Write");
  if (todoStore(state, c).delete(uid, caller!.subject, state.now(), caller!.origin)) state.changed();
}

type InError = ContainerUpdatesResult["errors"][number];
const inError = (uid: string, e: unknown): InError =>
  e instanceof Fault
    ? { message: e.message, errorCode: e.errorCode, uid }
    : { message: String((e as Error)?.message ?? e), errorCode: "UNKNOWN", uid };

/** PUT _mupdates. */
export function applyTodoChanges(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  changes: VTodoChanges | null,
): ContainerUpdatesResult {
  check(caller, c, "Write");
  const store = todoStore(state, c);
  const ret: ContainerUpdatesResult = { added: [], updated: [], removed: [], unhandled: [], errors: [], version: store.version };
  // add creates, or updates what exists (doCreateOrUpdate); modify the other way round: same outcome.
  const upsert = (uid: string, value: VTodo): void => {
    if (store.get(uid)) updateTodo(state, c, caller, uid, value);
    else createTodo(state, c, caller, uid, value);
  };
  for (const item of changes?.add ?? []) {
    try {
      upsert(item.uid, item.value);
      ret.added.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  for (const item of changes?.modify ?? []) {
    try {
      upsert(item.uid, item.value);
      ret.updated.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  for (const item of changes?.delete ?? []) {
    try {
      deleteTodo(state, c, caller, item.uid);
      ret.removed.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  ret.version = store.version;
  return ret;
}
