/**
 * IAuthentication (/api/auth) and IAPIKeys (/api/auth/keys), plus resolution of the
 * X-BM-ApiKey / ?apikey= key into a caller: session keys (lost at logout or idle timeout)
 * and permanent API key sids both work; an unknown key is a 401 AUTHENTICATION_FAIL.
 * Sessions opened here and by the web login (web-login.ts) are the same kind.
 */
import { randomUUID } from "node:crypto";
import type { APIKey, AuthUser, LoginResponse } from "../src/bluemind/types";
import { Fault } from "./fault";
import { requireCaller, type Ctx, type Router } from "./http";
import type { Caller, Session, UserRecord } from "./model";
import type { ServerState } from "./store";

/**
 * The live session of a sid, or null: unknown, or idle longer than `state.sessionIdleMs`
 * (then it is dropped). Using a session keeps it alive. Shared by the REST layer, login
 * (a session id given as password) and the web login's cookie.
 */
export function liveSession(state: ServerState, sid: string): Session | null {
  const session = state.sessions.get(sid);
  if (!session) return null;
  const now = state.now();
  if (state.sessionIdleMs != null && now - session.lastUsed > state.sessionIdleMs) {
    state.sessions.delete(sid);
    return null;
  }
  session.lastUsed = now;
  return session;
}

/** Opens an ordinary core session for `u` (what login and the web login both do); returns its sid. */
export function openSession(state: ServerState, u: UserRecord, origin: string, interactive: boolean): string {
  const sid = randomUUID();
  state.sessions.set(sid, { sid, subject: u.uid, domainUid: u.domainUid, origin, interactive, lastUsed: state.now() });
  return sid;
}

/** Caller for a key; null when no key was sent (anonymous); throws 401 for an invalid key. */
export function resolveCaller(state: ServerState, key: string | null): Caller | null {
  if (key == null) return null;
  const session = liveSession(state, key);
  if (session) {
    return { subject: session.subject, domainUid: session.domainUid, key, kind: "session", origin: session.origin };
  }
  const apiKey = state.apiKeyRecords.get(key);
  if (apiKey && state.users.has(apiKey.subject)) {
    return { subject: apiKey.subject, domainUid: apiKey.domainUid, key, kind: "apikey", origin: "apikey" };
  }
  throw new Fault(`session id ${key} is not valid`, "AUTHENTICATION_FAIL", 401);
}

export function authUser(u: UserRecord): AuthUser {
  return {
    uid: u.uid,
    domainUid: u.domainUid,
    displayName: u.displayName,
    value: {
      login: u.login,
      emails: [{ address: u.email, allAliases: false, isDefault: true }],
      dataLocation: u.dataLocation ?? "bm-master",
      archived: u.archived,
      mailboxCopyGuid: u.mailboxCopyGuid ?? null,
    },
    roles: [...u.roles],
    rolesByOU: {},
    settings: { ...u.settings },
  };
}

const bad = (): LoginResponse => ({ status: "Bad", message: null, authKey: null, latd: null, authUser: null });

type Check = "password" | "apikey" | "session" | "expired" | "no";

/**
 * What the password of a login is, in BlueMind's order: a live session id, an API key, then
 * the BlueMind password. The domain's auth type plays no part, so a user who has no
 * BlueMind password (single sign-on domain) only gets in with a session id or an API key.
 */
function checkCredential(state: ServerState, u: UserRecord, password: string): Check {
  const session = liveSession(state, password);
  if (session && session.subject === u.uid) return "session";
  const key = state.apiKeyRecords.get(password);
  if (key && key.subject === u.uid) return "apikey";
  if (u.password !== null && password === u.password) return u.passwordExpired ? "expired" : "password";
  return "no";
}

function login(state: ServerState, loginName: string, password: unknown, origin: string, interactive: boolean): LoginResponse {
  if (!loginName || typeof password !== "string" || password === "") return bad();
  const u = state.userByLogin(loginName);
  if (!u || u.archived) return bad();
  const result = checkCredential(state, u, password);
  const latd = `${u.login}@${u.domainUid}`;
  if (result === "no") return bad();
  if (result === "expired") return { status: "Expired", message: "Password expired", authKey: null, latd, authUser: null };
  const authKey = result === "session" ? password : openSession(state, u, origin, interactive);
  return { status: "Ok", message: null, authKey, latd, authUser: authUser(u) };
}

function currentUser(ctx: Ctx): UserRecord {
  const caller = requireCaller(ctx);
  const u = ctx.state.users.get(caller.subject);
  if (!u) throw new Fault("userItem of the current user is null");
  return u;
}

export function registerAuth(r: Router): void {
  r.post("/api/auth/login", (ctx) => login(ctx.state, ctx.query.get("login") ?? "", ctx.body, ctx.query.get("origin") ?? "", false));
  r.post("/api/auth/loginWithParams", (ctx) =>
    login(ctx.state, ctx.query.get("login") ?? "", ctx.body, ctx.query.get("origin") ?? "", ctx.query.get("interactive") === "true"),
  );
  r.post("/api/auth/validate", (ctx) => {
    const u = ctx.state.userByLogin(ctx.query.get("login") ?? "");
    if (!u || typeof ctx.body !== "string" || ctx.body === "") return "NONE";
    if (u.archived) return "ARCHIVED";
    const c = checkCredential(ctx.state, u, ctx.body);
    return c === "password" ? "PASSWORD" : c === "expired" ? "PASSWORDEXPIRED" : c === "no" ? "NONE" : "TOKEN";
  });
  // The key itself was checked by the REST layer; ping has nothing else to do.
  r.get("/api/auth/ping", () => undefined);
  r.post("/api/auth/logout", (ctx) => {
    // Only a session is invalidated; an API key used as X-BM-ApiKey stays valid.
    if (ctx.caller?.kind === "session") ctx.state.sessions.delete(ctx.caller.key);
    return undefined;
  });
  r.get("/api/auth", (ctx) => authUser(currentUser(ctx)));

  r.put("/api/auth/keys", (ctx) => {
    const caller = anonymousDenied(ctx);
    const displayName = ctx.query.get("displayName");
    if (!displayName || displayName.trim() === "") throw new Fault("API key display name cannot be empty");
    const key: APIKey = { sid: randomUUID(), displayName, subject: caller.subject, domainUid: caller.domainUid };
    ctx.state.apiKeyRecords.set(key.sid, key);
    ctx.state.changed();
    return key;
  });
  r.get("/api/auth/keys", (ctx) => ctx.state.apiKeys(anonymousDenied(ctx).subject));
  r.get("/api/auth/keys/{sid}", (ctx) => {
    const k = ctx.state.apiKeyRecords.get(ctx.params.sid!);
    return k && k.subject === anonymousDenied(ctx).subject ? k : null;
  });
  r.delete("/api/auth/keys/{sid}", (ctx) => {
    const caller = anonymousDenied(ctx);
    const k = ctx.state.apiKeyRecords.get(ctx.params.sid!);
    if (k && k.subject === caller.subject) {
      ctx.state.apiKeyRecords.delete(k.sid);
      ctx.state.changed();
    }
    return undefined;
  });
}

function anonymousDenied(ctx: Ctx): Caller {
  if (!ctx.caller) throw new Fault("Invalid securityContext", "PERMISSION_DENIED");
  return ctx.caller;
}
