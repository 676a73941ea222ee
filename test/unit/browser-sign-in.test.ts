/**
 * The login-window flow of "Sign in with your browser", with a fake window and a fake clock:
 * which outcome the user gets (a session, the window closed first, a time-out) and that the
 * window never stays open after a failure.
 */

import { strict as assert } from "node:assert";
import { waitForWebSession, type BrowserSignInDeps, type LoginWindowHandle } from "../../src/background/browser-sign-in";
import { BlueMindError } from "../../src/bluemind/errors";
import type { WebSessionInfo } from "../../src/bluemind/web-session";

const SESSION: WebSessionInfo = { sid: "sid-1", userId: "u1", domain: "sso.test", login: "carol" };

class FakeWindow implements LoginWindowHandle {
  readonly closed: Promise<void>;
  closedByAddon = 0;
  private resolveClosed!: () => void;
  constructor(readonly url: string) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }
  /** The user closes it. */
  userCloses(): void {
    this.resolveClosed();
  }
  close(): Promise<void> {
    this.closedByAddon++;
    this.resolveClosed();
    return Promise.resolve();
  }
}

/** A clock that moves only when the flow sleeps; `sessionAfter` polls, the session appears. */
function harness(options: {
  sessionAfter?: number;
  onPoll?: (poll: number, window: FakeWindow) => void;
  onSleep?: (window: FakeWindow) => void;
  timeoutMs?: number;
}) {
  let clock = 0;
  let polls = 0;
  let window: FakeWindow | null = null;
  const deps: BrowserSignInDeps = {
    openWindow: (url) => Promise.resolve((window = new FakeWindow(url))),
    readSession: () => {
      polls++;
      options.onPoll?.(polls, window!);
      return Promise.resolve(options.sessionAfter !== undefined && polls >= options.sessionAfter ? SESSION : null);
    },
    sleep: (ms) => {
      options.onSleep?.(window!);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    pollMs: 1_000,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  return { deps, polls: () => polls, window: () => window!, clock: () => clock };
}

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof BlueMindError && error.kind === kind);
}

describe("sign in with the browser: the login window", () => {
  it("opens BlueMind's page and returns the session once the user has logged in, window still open", async () => {
    const h = harness({ sessionAfter: 3 });
    const { session, window } = await waitForWebSession(h.deps, "https://bm.example/");
    assert.deepEqual(session, SESSION);
    assert.equal(h.window().url, "https://bm.example/");
    assert.equal(h.polls(), 3, "read once a second until the session appeared");
    assert.equal(h.window().closedByAddon, 0, "the caller closes it after using the session");
    assert.equal(window, h.window());
  });

  it("says the window was closed before login, without waiting for the time-out", async () => {
    const h = harness({ onPoll: (poll, window) => poll === 2 && window.userCloses() });
    await rejectsWith(waitForWebSession(h.deps, "https://bm.example/"), "loginWindowClosed");
    assert.ok(h.clock() < 10_000, `gave up at ${h.clock()} ms`);
    assert.equal(h.window().closedByAddon, 0, "already closed by the user");
  });

  it("still takes a session the user opened just before closing the window", async () => {
    // The user logs in and closes the window between two reads.
    const h = harness({ sessionAfter: 1, onSleep: (window) => window.userCloses() });
    const { session } = await waitForWebSession(h.deps, "https://bm.example/");
    assert.equal(session.sid, SESSION.sid);
    assert.equal(h.polls(), 1);
  });

  it("gives up after the time-out and closes the window", async () => {
    const h = harness({ timeoutMs: 5_000 });
    await rejectsWith(waitForWebSession(h.deps, "https://bm.example/"), "loginTimedOut");
    assert.equal(h.clock(), 5_000);
    assert.equal(h.window().closedByAddon, 1);
  });

  it("closes the window when reading the session fails", async () => {
    const h = harness({});
    h.deps.readSession = () => Promise.reject(new BlueMindError("notBlueMind", "HTTP 404"));
    await rejectsWith(waitForWebSession(h.deps, "https://bm.example/"), "notBlueMind");
    assert.equal(h.window().closedByAddon, 1);
  });
});
