import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { AccountService } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { parseManagedSettings, readServerPolicy, type ServerPolicy } from "../../src/background/managed-settings";
import { BlueMindHttp } from "../../src/bluemind/http";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";

const { alice } = DEMO.users;

describe("enterprise policy: the administrator's server address", () => {
  describe("parsing storage.managed", () => {
    it("normalizes the address and locks it by default", () => {
      assert.deepEqual(parseManagedSettings({ serverUrl: " bluemind.example.com/webmail/ " }), {
        serverPolicy: { serverUrl: "https://bluemind.example.com", locked: true },
        problems: [],
      });
    });

    it("only prefills when lockServerUrl is false", () => {
      assert.deepEqual(parseManagedSettings({ serverUrl: "https://bm.example.com:8443", lockServerUrl: false }).serverPolicy, {
        serverUrl: "https://bm.example.com:8443",
        locked: false,
      });
    });

    it("is no policy when nothing names a server", () => {
      assert.deepEqual(parseManagedSettings({}), { serverPolicy: null, problems: [] });
      const lockAlone = parseManagedSettings({ lockServerUrl: true });
      assert.equal(lockAlone.serverPolicy, null);
      assert.match(lockAlone.problems.join("\n"), /no serverUrl/);
    });

    it("ignores an address that is not a usable server address, and says why", () => {
      for (const serverUrl of ["http://bluemind.example.com", "ftp://bluemind.example.com", "", 42, null]) {
        const parsed = parseManagedSettings({ serverUrl });
        assert.equal(parsed.serverPolicy, null, JSON.stringify(serverUrl));
        assert.equal(parsed.problems.length, 1, JSON.stringify(serverUrl));
      }
      assert.match(
        parseManagedSettings({ serverUrl: "http://bluemind.example.com" }).problems[0] ?? "",
        /http is only allowed on loopback/,
      );
    });

    it("keeps the lock when lockServerUrl is not a boolean, and reports unknown settings", () => {
      const parsed = parseManagedSettings({
        serverUrl: "https://bm.example.com",
        lockServerUrl: "no",
        serverURL: "https://typo.example.com",
      });
      assert.deepEqual(parsed.serverPolicy, { serverUrl: "https://bm.example.com", locked: true });
      assert.equal(parsed.problems.length, 2);
      assert.match(parsed.problems.join("\n"), /unknown setting "serverURL"/);
      assert.match(parsed.problems.join("\n"), /lockServerUrl must be true or false/);
    });

    it("knows exactly the settings managed-schema.json declares, with their types", () => {
      const schema = JSON.parse(readFileSync(new URL("../../managed-schema.json", import.meta.url), "utf8")) as {
        properties: Record<string, { type: string }>;
      };
      assert.deepEqual(
        Object.entries(schema.properties).map(([name, { type }]) => [name, type]),
        [
          ["serverUrl", "string"],
          ["lockServerUrl", "boolean"],
        ],
      );
      assert.deepEqual(parseManagedSettings({ serverUrl: "https://bm.example.com", lockServerUrl: false }).problems, []);
    });

    it("reads no policy when Thunderbird has none for the add-on (storage.managed.get rejects)", async () => {
      const warnings: string[] = [];
      const none = { get: () => Promise.reject(new Error("Managed storage manifest not found")) };
      assert.equal(await readServerPolicy(none, (w) => warnings.push(w)), null);
      const some = { get: async () => ({ serverUrl: "https://bm.example.com", colour: "blue" }) };
      assert.deepEqual(await readServerPolicy(some, (w) => warnings.push(w)), { serverUrl: "https://bm.example.com", locked: true });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? "", /enterprise policy: unknown setting "colour"/);
    });
  });

  describe("sign-in under a policy (Thunderbird faked at the messenger boundary)", () => {
    let server: RunningServer;
    let secrets: MemorySecrets;
    let storage: MemoryStorage;

    const makeService = (policy: ServerPolicy | null) =>
      new AccountService({
        store: new AccountStore(storage),
        secrets,
        calendars: new FakeThunderbirdCalendars(),
        connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
        clientOrigin: "test",
        keyDisplayName: "Thunderbird (test)",
        now: () => 1_700_000_000_000,
        onChange: () => undefined,
        serverPolicy: async () => policy,
      });

    beforeEach(async () => {
      server = await startServer({ port: 0 });
      secrets = new MemorySecrets();
      storage = new MemoryStorage();
    });
    afterEach(() => server.close());

    it("refuses another origin when the address is locked, before any request", async () => {
      const service = makeService({ serverUrl: server.url, locked: true });
      await service.start();
      const sameServerOtherOrigin = server.url.replace("127.0.0.1", "localhost");
      await assert.rejects(service.signIn(sameServerOtherOrigin, alice.login, alice.password), { kind: "serverLocked" });
      await assert.rejects(service.signIn("https://elsewhere.example.com", alice.login, alice.password), { kind: "serverLocked" });
      assert.equal(server.requestCount(), 0);
      assert.equal(secrets.entries.size, 0);
      assert.equal(service.view().signedIn, false);
    });

    it("signs in to the locked address, however it is written, and shows the policy in the view", async () => {
      const service = makeService({ serverUrl: server.url, locked: true });
      await service.start();
      assert.deepEqual(service.view().serverPolicy, { serverUrl: server.url, locked: true });
      await service.signIn(`${server.url}/`, alice.login, alice.password);
      assert.equal(service.view().signedIn, true);
      assert.equal(service.view().serverUrl, server.url);
    });

    it("lets the user choose another server when the address is only prefilled", async () => {
      const service = makeService({ serverUrl: "https://bluemind.example.com", locked: false });
      await service.start();
      await service.signIn(server.url, alice.login, alice.password);
      assert.equal(service.view().serverUrl, server.url);
    });

    it("changes nothing without a policy", async () => {
      const service = makeService(null);
      await service.start();
      assert.equal(service.view().serverPolicy, null);
      await service.signIn(server.url, alice.login, alice.password);
      assert.equal(service.view().signedIn, true);
    });
  });
});
