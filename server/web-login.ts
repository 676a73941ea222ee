/**
 * The web side of BlueMind, beside its REST API on the same origin: what a browser meets
 * before the web app. Why it exists: a user of a single-sign-on domain has no BlueMind
 * password, so a client cannot call /api/auth/login for them; it must let the user log in on
 * BlueMind's own page (Keycloak or the domain's identity provider, any second factor), then
 * read the resulting core session from `/session-infos` in the same cookie jar and make an
 * API key with it. This module stands for bm-webserver's AuthenticationFilter plus the login
 * page of the identity provider, with nothing of OpenID itself (no code exchange, no PKCE):
 *
 * - any path outside /api without a live session → 302 to the login form
 *   (`/login/index.html?askedUri=<where to go back>`, standing for the authorization
 *   endpoint; `askedUri` is the parameter BlueMind's filter honours);
 * - the form (Keycloak's ids: `#kc-form-login`, `#username`, `#password`, `#kc-login`;
 *   a wrong password re-renders it, HTTP 200, with `#input-error`) checks the BlueMind
 *   password for an INTERNAL domain and the identity provider's password otherwise, opens an
 *   ordinary core session (the sid works as X-BM-ApiKey) and sets cookie `OpenIdSession` =
 *   `{"sid": …, "domain_uid": …}` (URL-encoded JSON, HttpOnly, Path=/, SameSite=Lax), then
 *   302 back to askedUri (default `/`);
 * - with a session: `/session-infos` answers the session's JSON, `/bluemind_sso_logout` ends
 *   the core session, clears the cookie and 302s to the login form, any other path is the
 *   web app's page.
 *
 * A cookie naming an unknown or idle-expired sid counts as no session.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { liveSession, openSession } from "./auth";
import type { Session, UserRecord } from "./model";
import type { ServerState } from "./store";
import { RELEASE_NAME, SOFTWARE_VERSION } from "./system";

export const WEB_LOGIN = {
  /** The login form (GET shows it, POST checks it). */
  loginPage: "/login/index.html",
  /** Query parameter of the login page: where to go once logged in. */
  returnParam: "askedUri",
  /** The session cookie: URL-encoded JSON `{"sid": "<core sid>", "domain_uid": "<domain>"}`. */
  cookie: "OpenIdSession",
  sessionInfos: "/session-infos",
  logout: "/bluemind_sso_logout",
  /** The form's field and button ids (Keycloak's). */
  fields: { form: "kc-form-login", username: "username", password: "password", submit: "kc-login", error: "input-error" },
} as const;

/** Origin recorded on sessions the web login opens. */
const WEB_ORIGIN = "bm-webserver";

/** Paths served by the REST layer; everything else goes through the web filter. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

interface WebReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** Handles one non-/api request; returns the status sent. */
export function handleWeb(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): number {
  const reply = route(state, req, url, rawBody);
  res.writeHead(reply.status, { "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(reply.body), ...reply.headers });
  res.end(reply.body);
  return reply.status;
}

function route(state: ServerState, req: IncomingMessage, url: URL, rawBody: string): WebReply {
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname;
  const session = sessionOf(state, req);

  // Like the AuthenticationFilter: logout is recognised by the end of the path.
  if (path.endsWith(WEB_LOGIN.logout)) {
    if (session) state.sessions.delete(session.sid);
    return redirect(loginUrl("/"), [clearCookie()]);
  }

  if (path === WEB_LOGIN.loginPage) {
    const askedUri = safeReturn(url.searchParams.get(WEB_LOGIN.returnParam));
    if (method === "POST") return submitLogin(state, url, rawBody, askedUri);
    // An open session skips the form, as an identity provider with a live SSO session does.
    if (session) return redirect(askedUri);
    return html(200, loginPage(url, "", null));
  }

  if (!session) {
    // What the AuthenticationFilter does for every path without a session, /session-infos
    // included: what BlueMind really answers there without a session is not verified, and a
    // redirect to the login page is what every other protected path gets.
    return redirect(loginUrl(path + url.search));
  }

  const user = state.users.get(session.subject);
  if (!user) {
    state.sessions.delete(session.sid);
    return redirect(loginUrl(path + url.search), [clearCookie()]);
  }
  if (path === WEB_LOGIN.sessionInfos) {
    return { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(sessionInfos(session, user)) };
  }
  return html(200, webAppPage(user));
}

// ---- the session cookie ----

/** The live core session named by the OpenIdSession cookie, or null. */
function sessionOf(state: ServerState, req: IncomingMessage): Session | null {
  const raw = cookieValue(req.headers.cookie ?? "", WEB_LOGIN.cookie);
  if (raw == null) return null;
  let sid: unknown;
  try {
    sid = (JSON.parse(decodeURIComponent(raw)) as { sid?: unknown } | null)?.sid;
  } catch {
    return null;
  }
  return typeof sid === "string" && sid !== "" ? liveSession(state, sid) : null;
}

function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function sessionCookie(sid: string, domainUid: string): string {
  const value = encodeURIComponent(JSON.stringify({ sid, domain_uid: domainUid }));
  return `${WEB_LOGIN.cookie}=${value}; Path=/; HttpOnly; SameSite=Lax`;
}

function clearCookie(): string {
  return `${WEB_LOGIN.cookie}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`;
}

// ---- the login form ----

/** Only a path of this origin (never `//host` or a full URL) is a place to go back to. */
function safeReturn(askedUri: string | null): string {
  if (!askedUri || !askedUri.startsWith("/") || askedUri.startsWith("//") || askedUri.includes("\\")) return "/";
  return askedUri;
}

function loginUrl(askedUri: string): string {
  return `${WEB_LOGIN.loginPage}?${WEB_LOGIN.returnParam}=${encodeURIComponent(safeReturn(askedUri))}`;
}

type LoginCheck = { ok: true; user: UserRecord } | { ok: false; error: string };

const INVALID = "Invalid username or password.";

/**
 * The identity provider's check: the BlueMind password for a user of an INTERNAL domain
 * (Keycloak in front of BlueMind's directory), the identity provider's own password for a
 * user of any other domain. A login without "@" is in the default domain.
 */
function checkLogin(state: ServerState, username: string, password: string): LoginCheck {
  if (username === "" || password === "") return { ok: false, error: INVALID };
  const user = state.userByLogin(username.includes("@") ? username : `${username}@${state.domainUid}`);
  if (!user || user.archived) return { ok: false, error: INVALID };
  const authType = state.domains.get(user.domainUid)?.authType ?? "INTERNAL";
  if (authType === "INTERNAL") {
    if (user.password === null || password !== user.password) return { ok: false, error: INVALID };
    if (user.passwordExpired) return { ok: false, error: "Your password has expired." };
  } else if (user.idpPassword === undefined || password !== user.idpPassword) {
    return { ok: false, error: INVALID };
  }
  return { ok: true, user };
}

function submitLogin(state: ServerState, url: URL, rawBody: string, askedUri: string): WebReply {
  const form = new URLSearchParams(rawBody);
  const username = (form.get(WEB_LOGIN.fields.username) ?? "").trim();
  const check = checkLogin(state, username, form.get(WEB_LOGIN.fields.password) ?? "");
  if (!check.ok) return html(200, loginPage(url, username, check.error));
  const sid = openSession(state, check.user, WEB_ORIGIN, true);
  return redirect(askedUri, [sessionCookie(sid, check.user.domainUid)]);
}

// ---- answers ----

/**
 * The web app's view of its session, field names as BlueMind's `@bluemind/session` reads
 * them (its values are all strings; `roles` is comma-separated; the display name is
 * `formatedName`; `login` is the local part, as User.login).
 */
function sessionInfos(session: Session, user: UserRecord): Record<string, string> {
  return {
    sid: session.sid,
    userId: user.uid,
    login: user.login,
    domain: user.domainUid,
    accountType: "FULL",
    defaultEmail: user.email,
    formatedName: user.displayName,
    mailboxCopyGuid: user.mailboxCopyGuid ?? "",
    roles: user.roles.join(","),
    lang: user.settings.lang ?? "en",
    bmVersion: SOFTWARE_VERSION,
    bmBrandVersion: RELEASE_NAME,
  };
}

function redirect(location: string, cookies: string[] = []): WebReply {
  const headers: Record<string, string | string[]> = { Location: location };
  if (cookies.length) headers["Set-Cookie"] = cookies;
  return { status: 302, headers, body: "" };
}

function html(status: number, body: string): WebReply {
  return { status, headers: { "Content-Type": "text/html; charset=utf-8" }, body };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(url: URL, username: string, error: string | null): string {
  const f = WEB_LOGIN.fields;
  const action = escapeHtml(url.pathname + url.search);
  const errorBlock = error
    ? `<div id="kc-error-message" class="alert alert-error" role="alert"><span id="${f.error}" aria-live="polite">${escapeHtml(error)}</span></div>`
    : "";
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><title>Sign in to BlueMind</title></head>
<body>
<div id="kc-content">
<h1 id="kc-page-title">Sign in to your account</h1>
${errorBlock}
<form id="${f.form}" action="${action}" method="post">
<label for="${f.username}">Username or email</label>
<input id="${f.username}" name="${f.username}" type="text" value="${escapeHtml(username)}" autofocus autocomplete="username">
<label for="${f.password}">Password</label>
<input id="${f.password}" name="${f.password}" type="password" autocomplete="current-password">
<input id="${f.submit}" name="login" type="submit" value="Sign In">
</form>
</div>
</body>
</html>
`;
}

function webAppPage(user: UserRecord): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(user.settings.lang ?? "en")}">
<head><meta charset="utf-8"><title>BlueMind</title></head>
<body>
<header><span id="bm-user-name">${escapeHtml(user.displayName)}</span> <a id="bm-logout" href="${WEB_LOGIN.logout}">Logout</a></header>
<main><p>BlueMind web application (reference server).</p></main>
</body>
</html>
`;
}
