/**
 * Sign-in as BlueMind's own clients do it, except that we keep no password. Three ways in, all
 * ending with one permanent API key (BlueMind's "app password", revocable by the user or an
 * admin) and nothing else:
 * - a password: log in once, create the key with that session, log the session out;
 * - a key the user made in BlueMind (single-sign-on domains, where BlueMind has no password):
 *   `GET /api/auth` checks it and names the account;
 * - a session the user opened on BlueMind's own web login (see web-session.ts): the key is
 *   created with that session's id, as with a password session.
 * Every way checks that the account may use calendars (role `hasCalendar`).
 */

import { BlueMindError } from "./errors";
import { apiPath, BlueMindHttp } from "./http";
import type { APIKey, AuthUser, LoginResponse } from "./types";

export interface SignInResult {
  /** The login as BlueMind knows it (user@domain). */
  login: string;
  user: AuthUser;
  apiKey: APIKey;
}

interface InstallationInfos {
  defaultDomain: string;
}

function isLoginResponse(value: unknown): value is LoginResponse {
  const status = (value as LoginResponse | null)?.status;
  return status === "Ok" || status === "Bad" || status === "Expired";
}

/** A login without '@' gets the server's default domain, as BlueMind's Thunderbird connector does. */
async function qualifyLogin(http: BlueMindHttp, login: string): Promise<string> {
  if (login.includes("@")) {
    return login;
  }
  const infos = await http.call<InstallationInfos | undefined>("GET", apiPath("system", "installation", "_infos"));
  if (!infos || typeof infos.defaultDomain !== "string" || infos.defaultDomain === "") {
    throw new BlueMindError("notBlueMind", "no default domain in installation infos");
  }
  return `${login}@${infos.defaultDomain}`;
}

/** BlueMind's role for the calendar application (BasicRoles.ROLE_CALENDAR). */
export const CALENDAR_ROLE = "hasCalendar";

/** BlueMind makes its API keys as UUIDs (APIKeysService); anything else was mis-copied. */
const API_KEY_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireCalendarRole(user: AuthUser): void {
  if (!user.roles.includes(CALENDAR_ROLE)) {
    throw new BlueMindError("noCalendarRole", `${user.displayName} has no ${CALENDAR_ROLE} role`);
  }
}

function loginOf(user: AuthUser): string {
  return `${user.value.login}@${user.domainUid}`;
}

/**
 * Creates our permanent key with a session (a password session or a web session's sid). The
 * session itself is left to the caller, which ends it.
 */
export async function createKeyWithSession(http: BlueMindHttp, sessionId: string, keyDisplayName: string): Promise<APIKey> {
  const apiKey = await http.withKey(sessionId).call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: keyDisplayName } });
  if (!apiKey || typeof apiKey.sid !== "string") {
    throw new BlueMindError("notBlueMind", "the server did not return an API key");
  }
  return apiKey;
}

/**
 * Checks a key the user pasted and names its account. A 401 says BlueMind does not know the
 * key; what to tell the user depends on what was pasted: not a key at all (a password, a
 * truncated copy), or a real key that this server never made (another server's, or deleted).
 */
export async function signInWithApiKey(http: BlueMindHttp, pastedKey: string): Promise<SignInResult> {
  const key = pastedKey.trim();
  if (key === "" || /\s/.test(key)) {
    throw new BlueMindError("apiKeyMalformed", "the pasted key is empty or contains spaces");
  }
  let user: AuthUser;
  try {
    user = await currentUser(http.withKey(key));
  } catch (error) {
    if (error instanceof BlueMindError && error.kind === "keyRevoked") {
      const kind = API_KEY_SHAPE.test(key) ? "apiKeyUnknown" : "apiKeyMalformed";
      throw new BlueMindError(kind, error.message, { status: error.status ?? undefined, errorCode: error.errorCode, cause: error });
    }
    throw error;
  }
  if (!user || typeof user.uid !== "string" || !user.value) {
    throw new BlueMindError("notBlueMind", "GET /api/auth did not answer an AuthUser");
  }
  requireCalendarRole(user);
  return { login: loginOf(user), user, apiKey: { sid: key, displayName: "", subject: user.uid, domainUid: user.domainUid } };
}

/**
 * Turns a web session (BlueMind's own login page, any identity provider) into our key. The
 * caller ends the web session afterwards; the session is also logged out here, so a failure
 * of the web logout cannot leave it open.
 */
export async function signInWithSession(http: BlueMindHttp, sessionId: string, keyDisplayName: string): Promise<SignInResult> {
  const session = http.withKey(sessionId);
  try {
    const apiKey = await createKeyWithSession(http, sessionId, keyDisplayName);
    const user = await currentUser(http.withKey(apiKey.sid));
    try {
      requireCalendarRole(user);
    } catch (error) {
      await revokeKey(http.withKey(apiKey.sid), apiKey.sid).catch(() => undefined);
      throw error;
    }
    return { login: loginOf(user), user, apiKey };
  } finally {
    await session.call<void>("POST", apiPath("auth", "logout")).catch(() => undefined);
  }
}

export async function signIn(
  http: BlueMindHttp,
  loginInput: string,
  password: string,
  clientOrigin: string,
  keyDisplayName: string,
): Promise<SignInResult> {
  const login = await qualifyLogin(http, loginInput.trim());
  const response = await http.call<unknown>("POST", apiPath("auth", "login"), {
    query: { login, origin: clientOrigin },
    body: password,
  });
  if (!isLoginResponse(response)) {
    throw new BlueMindError("notBlueMind", "the login answer is not a BlueMind LoginResponse");
  }
  if (response.status === "Bad") {
    throw new BlueMindError("badCredentials", response.message ?? "login refused");
  }
  if (response.status === "Expired") {
    throw new BlueMindError("passwordExpired", response.message ?? "password expired");
  }
  if (!response.authKey || !response.authUser) {
    throw new BlueMindError("notBlueMind", "login answered Ok without a session");
  }
  const session = http.withKey(response.authKey);
  try {
    requireCalendarRole(response.authUser);
    const apiKey = await createKeyWithSession(http, response.authKey, keyDisplayName);
    return { login: response.latd ?? login, user: response.authUser, apiKey };
  } finally {
    // The password session is not needed any more; a failure here must not fail the sign-in.
    await session.call<void>("POST", apiPath("auth", "logout")).catch(() => undefined);
  }
}

/** The user behind the key; fails with keyRevoked when the key was deleted. */
export function currentUser(http: BlueMindHttp): Promise<AuthUser> {
  return http.call<AuthUser>("GET", apiPath("auth"));
}

/** Deletes the permanent key on the server (sign-out). */
export function revokeKey(http: BlueMindHttp, sid: string): Promise<void> {
  return http.call<void>("DELETE", apiPath("auth", "keys", sid));
}
