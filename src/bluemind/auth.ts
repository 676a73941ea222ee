/**
 * Sign-in as BlueMind's own clients do it, except that we keep no password: log in once with
 * the password, create a permanent API key (BlueMind's "app password", revocable by the user
 * or an admin), log the password session out, and use only the key from then on.
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
    const apiKey = await session.call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: keyDisplayName } });
    if (!apiKey || typeof apiKey.sid !== "string") {
      throw new BlueMindError("notBlueMind", "the server did not return an API key");
    }
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
