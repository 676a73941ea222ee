/**
 * The provider bridge's start-up rule: Thunderbird's start-up refresh of a calendar already
 * synced waits for the random delay; a first sync, or a calendar holding offline edits, goes
 * at once; and only the first sync of each calendar after start-up ever waits. And every
 * request waits for the stored account: a query that comes first is not told "not signed in".
 */

import { strict as assert } from "node:assert";
import type { AccountService } from "../../src/background/account-service";
import { createProviderBridge } from "../../src/background/provider-bridge";
import { calendarUri } from "../../src/sync/calendar-identity";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { makeAccountService } from "./support/account-service";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";

const { alice } = DEMO.users;
const C = DEMO.calendars;

describe("provider bridge: start-up gate", () => {
  let server: RunningServer;
  let calendars: FakeThunderbirdCalendars;
  let service: AccountService;
  let opened: boolean;
  let release: () => void;
  let bridge: ReturnType<typeof createProviderBridge>;
  const ref = (uid: string) => ({ uri: calendarUri(server.url, uid), name: uid });
  /** A sync request as the provider sends it: with what its cache holds. */
  const syncAsProvider = async (uid: string) => bridge("sync", ref(uid), await calendars.cacheState(ref(uid).uri));
  /** Whether a sync request settles within 300 ms (else it waits at the gate). */
  const settlesSoon = (promise: Promise<unknown>): Promise<boolean> =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300))]);

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    calendars = new FakeThunderbirdCalendars();
    service = makeAccountService({ storage: new MemoryStorage(), secrets: new MemorySecrets(), calendars }, { now: () => 0 });
    await service.start();
    await service.signIn(server.url, alice.login, alice.password);
    opened = false;
    const gate = new Promise<void>((resolve) => {
      release = () => {
        opened = true;
        resolve();
      };
    });
    bridge = createProviderBridge({ service, calendars, newUid: () => "x", describe: String, startupGate: { wait: () => gate } });
  });
  afterEach(() => server.close());

  it("holds only a synced calendar's first refresh, until the gate opens; first syncs and pending edits go at once", async () => {
    const bob = calendars.byUri(ref(C.bob.uid).uri)!;
    const aliceCalendar = calendars.byUri(ref(C.alice.uid).uri)!;
    bob.version = 1; // synced in an earlier session
    aliceCalendar.version = 1;
    aliceCalendar.pending = 1; // holds an edit made offline
    const held = syncAsProvider(C.bob.uid);
    assert.equal(await settlesSoon(held), false, "Thunderbird's start-up refresh waits");
    assert.equal(await settlesSoon(syncAsProvider(C.alice.uid)), true, "offline edits are not held");
    assert.equal(await settlesSoon(syncAsProvider(C.projets.uid)), true, "a first sync is not held");
    release();
    assert.deepEqual(await held, { ok: true });
    assert.equal(opened, true);
    assert.equal(await settlesSoon(syncAsProvider(C.bob.uid)), true, "later refreshes are never held");
  });
});

describe("provider bridge: requests wait for the stored account", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0 });
  });
  after(() => server.close());

  it("answers an online-only query made before the account is loaded once it is, not with 'not signed in'", async () => {
    // One storage, login manager and set of calendars, as Thunderbird keeps them across a restart.
    const fakes = { storage: new MemoryStorage(), secrets: new MemorySecrets(), calendars: new FakeThunderbirdCalendars() };
    const { calendars } = fakes;
    const newService = () => makeAccountService(fakes, { now: () => 0 });
    const earlierSession = newService();
    await earlierSession.start();
    await earlierSession.signIn(server.url, alice.login, alice.password);

    // Thunderbird restarted: the provider is registered, the account not read yet.
    const service = newService();
    let markLoaded: () => void = () => undefined;
    const accountLoaded = new Promise<void>((resolve) => {
      markLoaded = resolve;
    });
    const bridge = createProviderBridge({ service, calendars, newUid: () => "x", describe: String, accountLoaded });
    const range = { start: "2026-01-01", end: "2027-01-01", held: {} };
    const answer = bridge("query", { uri: calendarUri(server.url, C.alice.uid), name: "Alice" }, range);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await service.start();
    markLoaded();
    const settled = await answer;
    assert.ok(!("error" in settled), `answered: ${JSON.stringify(settled).slice(0, 200)}`);
    assert.ok("ics" in settled && (settled.ics ?? "").includes("BEGIN:VEVENT"), "the calendar's events of the range");

    // Without waiting, the same query would have been refused as from a signed-out user.
    const unloaded = createProviderBridge({ service: newService(), calendars, newUid: () => "x", describe: String });
    const refused = await unloaded("query", { uri: calendarUri(server.url, C.alice.uid), name: "Alice" }, range);
    assert.ok("error" in refused && /not signed in/.test(refused.message));
  });
});
