/**
 * BlueMind's web server, not its REST API: the session a user opened on BlueMind's own login
 * page (Keycloak in front of bm-webserver, with any identity provider and second factor). The
 * page keeps it in an HttpOnly cookie (`OpenIdSession`) that only the browser sends, so these
 * requests go with the browser's cookies (`credentials: "include"`); the add-on never sees a
 * password. `/session-infos` names the session's core sid; `/bluemind_sso_logout` ends it.
 * Without a session BlueMind's authentication filter redirects to the login page: redirects
 * are not followed, and anything but the session's JSON means "nobody is logged in yet".
 */

import { BlueMindError } from "./errors";

/** What `/session-infos` answers for a live session (the fields this add-on reads). */
export interface WebSessionInfo {
  sid: string;
  userId: string;
  domain: string;
  login: string;
}

/** fetch, injectable: in Thunderbird the background's own (the browser's cookie jar), in tests a jar of the test's. */
export type WebFetch = (url: string, init: RequestInit) => Promise<Response>;

const REQUEST_TIMEOUT_MS = 15_000;

function isSessionInfo(value: unknown): value is WebSessionInfo {
  const info = value as Partial<WebSessionInfo> | null;
  return typeof info?.sid === "string" && info.sid !== "" && typeof info.userId === "string";
}

async function webRequest(fetchImpl: WebFetch, url: URL, accept: string): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await fetchImpl(url.href, {
      method: "GET",
      headers: { Accept: accept },
      credentials: "include",
      redirect: "manual",
      cache: "no-store",
      signal: controller.signal,
    });
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") {
      throw new BlueMindError("timeout", `${url.origin} did not answer in time`, { cause: error });
    }
    throw new BlueMindError("unreachable", `${url.origin}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** The web session of the browser's cookie jar; null while nobody is logged in. */
export async function readWebSession(origin: string, fetchImpl: WebFetch): Promise<WebSessionInfo | null> {
  const url = new URL("/session-infos", origin);
  const response = await webRequest(fetchImpl, url, "application/json");
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    return null; // the authentication filter sends the browser to the login page
  }
  if (response.status === 404) {
    throw new BlueMindError("notBlueMind", `${url.pathname}: HTTP 404`, { status: 404 });
  }
  if (!response.ok) {
    return null;
  }
  try {
    const body: unknown = JSON.parse(await response.text());
    return isSessionInfo(body) ? body : null;
  } catch {
    return null; // an HTML page: the login form
  }
}

/** Ends the web session (BlueMind's own logout); never fails the caller. */
export async function endWebSession(origin: string, fetchImpl: WebFetch): Promise<void> {
  await webRequest(fetchImpl, new URL("/bluemind_sso_logout", origin), "text/html").catch(() => undefined);
}
