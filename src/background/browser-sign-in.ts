/**
 * "Sign in with your browser": BlueMind's own login page in a Thunderbird window, for domains
 * where BlueMind has no password of the user's (single sign-on through Keycloak or another
 * identity provider, second factors). The user logs in there; meanwhile the web session is
 * read every second from the shared cookie jar. The flow ends with that session, or with a
 * clear reason: the window was closed first, or nobody logged in before the time-out. The
 * window and the clock are injected, so the flow runs in Node tests.
 */

import { signInWithSession, type SignInResult } from "../bluemind/auth";
import { BlueMindError } from "../bluemind/errors";
import { apiPath, type BlueMindHttp } from "../bluemind/http";
import { endWebSession, readWebSession, type WebFetch, type WebSessionInfo } from "../bluemind/web-session";

export interface LoginWindowHandle {
  /** Resolves when the window is gone, whoever closed it. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface BrowserSignInDeps {
  openWindow(url: string): Promise<LoginWindowHandle>;
  readSession(): Promise<WebSessionInfo | null>;
  sleep(ms: number): Promise<void>;
  now(): number;
  pollMs?: number;
  timeoutMs?: number;
}

export const LOGIN_POLL_MS = 1_000;
/** Long enough to find a phone for a second factor; after that the window is closed. */
export const LOGIN_TIMEOUT_MS = 5 * 60_000;

/**
 * Opens `loginUrl` and waits for the web session. The window is left open on success (the
 * caller closes it once the session has served), closed on any failure.
 */
export async function waitForWebSession(
  deps: BrowserSignInDeps,
  loginUrl: string,
): Promise<{ session: WebSessionInfo; window: LoginWindowHandle }> {
  const window = await deps.openWindow(loginUrl);
  let closed = false;
  void window.closed.then(() => {
    closed = true;
  });
  const deadline = deps.now() + (deps.timeoutMs ?? LOGIN_TIMEOUT_MS);
  const pollMs = deps.pollMs ?? LOGIN_POLL_MS;
  try {
    for (;;) {
      await Promise.race([deps.sleep(pollMs), window.closed]);
      // Read once more after a close: the user may close the window right after logging in.
      const session = await deps.readSession();
      if (session) {
        return { session, window };
      }
      if (closed) {
        throw new BlueMindError("loginWindowClosed", "the login window was closed before a BlueMind session was opened");
      }
      if (deps.now() >= deadline) {
        throw new BlueMindError("loginTimedOut", `no BlueMind session after ${Math.round((deps.timeoutMs ?? LOGIN_TIMEOUT_MS) / 1000)} s`);
      }
    }
  } catch (error) {
    if (!closed) {
      await window.close();
    }
    throw error;
  }
}

/** The browser the account service signs in with: a Thunderbird window, and fetch with its cookie jar. */
export interface SignInBrowser {
  openWindow(url: string): Promise<LoginWindowHandle>;
  fetch: WebFetch;
  sleep(ms: number): Promise<void>;
  timeoutMs?: number;
}

/**
 * The whole "Sign in with your browser": the web session opened on BlueMind's login page makes
 * our key, then that session is ended (BlueMind's logout and the core session's) and the
 * window closed.
 */
export async function signInThroughBrowser(
  http: BlueMindHttp,
  origin: string,
  browser: SignInBrowser,
  now: () => number,
  keyDisplayName: string,
): Promise<SignInResult> {
  // Anonymous and cheap: says "not BlueMind" before a window shows someone else's page.
  await http.call<unknown>("GET", apiPath("system", "installation", "_infos"));
  const { session, window } = await waitForWebSession(
    {
      openWindow: (url) => browser.openWindow(url),
      readSession: () => readWebSession(origin, browser.fetch),
      sleep: (ms) => browser.sleep(ms),
      now,
      timeoutMs: browser.timeoutMs,
    },
    new URL("/", origin).href,
  );
  try {
    return await signInWithSession(http, session.sid, keyDisplayName);
  } finally {
    await endWebSession(origin, browser.fetch);
    await window.close();
  }
}
