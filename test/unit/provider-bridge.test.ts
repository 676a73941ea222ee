/**
 * The provider bridge's start-up rule: Thunderbird's start-up refresh of a calendar already
 * synced waits for the random delay; a first sync, or a calendar holding offline edits, goes
 * at once; and only the first sync of each calendar after start-up ever waits.
 */

import { strict as assert } from "node:assert";
import { AccountService } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { createProviderBridge } from "../../src/background/provider-bridge";
import { BlueMindHttp } from "../../src/bluemind/http";
import { calendarUri } from "../../src/sync/calendar-identity";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
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
    service = new AccountService({
      store: new AccountStore(new MemoryStorage()),
      secrets: new MemorySecrets(),
      calendars,
      connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
      clientOrigin: "test",
      keyDisplayName: "k",
      now: () => 0,
      onChange: () => undefined,
    });
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
