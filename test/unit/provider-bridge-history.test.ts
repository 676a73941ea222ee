/**
 * The provider bridge and the history check together: the mailboxCopyGuid is read through
 * the account's key (`GET /api/auth`), once for all calendars, stored with each calendar's
 * sync, and a new one makes the next sync of every synced calendar a full reconciliation.
 */

import { strict as assert } from "node:assert";
import { AccountService } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { createProviderBridge } from "../../src/background/provider-bridge";
import { BlueMindHttp } from "../../src/bluemind/http";
import { calendarUri } from "../../src/sync/calendar-identity";
import { MailboxWatch } from "../../src/sync/mailbox-watch";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { moveMailbox } from "../../server/history";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";

const { alice } = DEMO.users;
const C = DEMO.calendars;

describe("provider bridge: the mailboxCopyGuid and full reconciliation", () => {
  let server: RunningServer;
  let calendars: FakeThunderbirdCalendars;
  let mailbox: MailboxWatch;
  let logged: string[];
  let bridge: ReturnType<typeof createProviderBridge>;
  const ref = (uid: string) => ({ uri: calendarUri(server.url, uid), name: uid });
  /** A sync request as the provider sends it: with what its cache holds. */
  const syncAsProvider = async (uid: string) => bridge("sync", ref(uid), await calendars.cacheState(ref(uid).uri));
  const calls = (start: number) => server.requests.slice(start).map((r) => `${r.method} ${r.path.split("/").pop()}${r.query}`);

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    calendars = new FakeThunderbirdCalendars();
    const service = new AccountService({
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
    mailbox = new MailboxWatch(() => service.mailboxCopyGuid());
    logged = [];
    bridge = createProviderBridge({ service, calendars, newUid: () => "x", describe: String, mailbox, log: (m) => logged.push(m) });
  });
  afterEach(() => server.close());

  it("reads the guid once for every calendar, stores it with each sync, and reconciles each calendar once when it changes", async () => {
    let start = server.requestCount();
    assert.deepEqual(await Promise.all([syncAsProvider(C.alice.uid), syncAsProvider(C.bob.uid)]), [{ ok: true }, { ok: true }]);
    assert.equal(calls(start).filter((c) => c === "GET auth").length, 1, "one read for both calendars");
    for (const uid of [C.alice.uid, C.bob.uid]) {
      const stored = await calendars.cacheState(ref(uid).uri);
      assert.equal(stored.mailboxCopyGuid, null, "BlueMind had none: that is stored too");
      assert.ok(typeof stored.syncedAt === "number");
    }

    start = server.requestCount();
    await syncAsProvider(C.alice.uid);
    assert.deepEqual(calls(start), ["GET _version"], "within the check period: no new read, nothing to reconcile");

    const guid = moveMailbox(server.state, alice.uid);
    mailbox.expire(); // "Synchronise now"
    start = server.requestCount();
    await syncAsProvider(C.alice.uid);
    await syncAsProvider(C.bob.uid);
    const made = calls(start);
    assert.deepEqual(
      made.filter((c) => c === "GET auth"),
      ["GET auth"],
    );
    assert.equal(made.filter((c) => c === "GET _changeset?since=0").length, 2, "each synced calendar reconciled once");
    assert.equal((await calendars.cacheState(ref(C.bob.uid).uri)).mailboxCopyGuid, guid);
    assert.match(logged.join("\n"), /full reconciliation \(everything\): the mailbox was moved or restored/);

    start = server.requestCount();
    await syncAsProvider(C.alice.uid);
    assert.deepEqual(calls(start), ["GET _version"], "then ordinary syncs again");
  });
});
