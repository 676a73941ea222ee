/**
 * IAuthentication (/api/auth) and IAPIKeys (/api/auth/keys), plus resolution of the
 * X-BM-ApiKey / ?apikey= key into a caller: session keys (lost at logout or idle timeout)
 * and permanent API key sids both work; an unknown key is a 401 AUTHENTICATION_FAIL.
 */
import { randomUUID } from "node:crypto";
import type { APIKey, AuthUser, LoginResponse } from "../src/bluemind/types";
import { Fault } from "./fault";
import { requireCaller, type Ctx, type Router } from "./http";
import type { Caller, UserRecord } from "./model";
import type { ServerState } from "./store";

/** Caller for a key; null when no key was sent (anonymous); throws 401 for an invalid key. */
export function resolveCaller(state: ServerState, key: string | null): Caller | null {
  if (key == null) return null;
  const session = state.sessions.get(key);
  if (session) {
    const now = state.now();
    if (state.sessionIdleMs == null || now - session.lastUsed <= state.sessionIdleMs) {
      session.lastUsed = now;
      return { subject: session.subject, domainUid: session.domainUid, key, kind: "session", origin: session.origin };
    }
    state.sessions.delete(key);
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
      dataLocation: "bm-master",
      archived: u.archived,
    },
    roles: [...u.roles],
    rolesByOU: {},
    settings: { ...u.settings },
  };
}

const bad = (): LoginResponse => ({ status: "Bad", message: null, authKey: null, latd: null, authUser: null });

type Check = "password" | "apikey" | "session" | "expired" | "no";

function checkCredential(state: ServerState, u: UserRecord, password: string): Check {
  const session = state.sessions.get(password);
  if (session && session.subject === u.uid) return "session";
  const key = state.apiKeyRecords.get(password);
  if (key && key.subject === u.uid) return "apikey";
  if (password === u.password) return u.passwordExpired ? "expired" : "password";
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
  let authKey = password;
  if (result !== "session") {
    authKey = randomUUID();
    state.sessions.set(authKey, { sid: authKey, subject: u.uid, domainUid: u.domainUid, origin, interactive, lastUsed: state.now() });
  }
  return { status: "Ok", message: null, authKey, latd, authUser: authUser(u) };
}

function currentUser(ctx: Ctx): UserRecord {
  const caller = requireCaller(ctx);
  const u = ctx.state.users.get(caller.subject);
  if (!u) throw new Fault("userItem of the current user is null");
  return u;
}

export function registerAuth(r: Router): void {
  r.post("/api/auth/login", (ctx) =>
    login(ctx.state, ctx.query.get("login") ?? "", ctx.body, ctx.query.get("origin") ?? "", false),
  );
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
