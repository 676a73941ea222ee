/**
 * `--data FILE` persistence: state survives a restart (startServer twice on one file), and
 * the CLI prints exactly one "listening" line, serves, and saves before exiting on SIGTERM.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO } from "../../server/demo-data";
import { enc, useServer } from "./helpers";

describe("reference server: persistence", () => {
  const bm = useServer({ lifetime: "manual", dataFile: "state.json" });
  const { api } = bm;

  it("round-trips state through the data file across restarts", async () => {
    const file = bm.dataFile;
    await bm.start();
    const key = await api.login("alice@bluemind.test", "alice");
    const sid = (await api.call("PUT", "/api/auth/keys?displayName=tb", undefined, key)).body.sid as string;
    await api.call(
      "POST",
      `/api/users/bluemind.test/subscriptions/${DEMO.users.alice.uid}/_subscribe`,
      [{ containerUid: DEMO.calendars.projets.uid, offlineSync: true }],
      key,
    );
    const cal = `/api/calendars/${enc(DEMO.calendars.alice.uid)}`;
    await api.call(
      "PUT",
      `${cal}/persisted-1`,
      {
        main: {
          dtstart: { iso8601: "2025-04-02T10:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" },
          dtend: { iso8601: "2025-04-02T11:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" },
          summary: "Survit au redémarrage",
        },
        occurrences: [],
      },
      key,
    );
    const version = (await api.call("GET", `${cal}/_version`, undefined, key)).body as number;
    await bm.stop();
    assert.ok(existsSync(file));

    const second = await bm.start();
    // Sessions are not persisted, API keys are.
    assert.equal((await api.call("GET", "/api/auth", undefined, key)).status, 401);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).status, 200);
    assert.equal(second.state.subscription(DEMO.users.alice.uid, DEMO.calendars.projets.uid)?.offlineSync, true);
    const item = await api.call("GET", `${cal}/persisted-1/complete`, undefined, sid);
    assert.equal(item.body.value.main.summary, "Survit au redémarrage");
    assert.equal((await api.call("GET", `${cal}/_version`, undefined, sid)).body, version);
    const cs = await api.call("GET", `${cal}/_changeset?since=${version - 1}`, undefined, sid);
    assert.deepEqual(cs.body.created, ["persisted-1"]);
  });

  it("CLI: prints one listening line, serves, and saves on SIGTERM", async function () {
    this.timeout(20000);
    const file = join(bm.dir, "cli.json");
    // Not recorded by the coverage run (c8): this child is the reference server, not the code
    // measured, and its partial record of src/convert (a server module imports it), merged with
    // the test run's, would count most of those files as unrun. Node hands NODE_V8_COVERAGE to
    // its children unless the child's environment names it, so it is set empty, not deleted.
    const env = { ...process.env, NODE_V8_COVERAGE: "" };
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--port", "0", "--data", file], {
      cwd: join(import.meta.dirname, "..", ".."),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /^BlueMind reference server listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited early (${code}): ${out}`)));
    });
    const login = await fetch(`${url}/api/auth/login?login=bob%40bluemind.test&origin=cli`, {
      method: "POST",
      body: JSON.stringify("bob"),
    });
    const authKey = ((await login.json()) as { authKey: string }).authKey;
    const key = await fetch(`${url}/api/auth/keys?displayName=cli`, { method: "PUT", headers: { "X-BM-ApiKey": authKey } });
    const sid = ((await key.json()) as { sid: string }).sid;
    const code = await new Promise<number | null>((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
    assert.equal(out.split("\n").filter(Boolean).length, 1, `exactly one line: ${out}`);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { apiKeys: { sid: string }[] };
    assert.ok(saved.apiKeys.some((k) => k.sid === sid));
  });
});
