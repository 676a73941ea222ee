/**
 * Deployment by an administrator, in a real headless Thunderbird: the README's policies.json
 * (ExtensionSettings force-installs the .xpi, 3rdparty presets and locks the server address)
 * is written into a private Thunderbird install, and the user meets the locked address in
 * the options page; the background refuses any other server, and signs in to the preset one.
 */

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, archivesOnlineOnly, assertBuilt, dumpLogOnFailure, waitFor, XPI } from "./support/addon";
import { installWithPolicies, type PolicyInstall } from "./support/policy-install";
import { inOrder } from "./support/steps";

const { alice } = DEMO.users;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const english = JSON.parse(readFileSync(path.join(ROOT, "_locales/en/messages.json"), "utf8")) as Record<string, { message: string }>;

describe("deployment by an administrator: enterprise policies in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let install: PolicyInstall | undefined;
  let tb: Thunderbird;
  let policies: Record<string, unknown>;

  const find = (selector: string) => tb.marionette.findElement(selector);
  const text = async (selector: string): Promise<string> => tb.marionette.getText(await find(selector));
  /** The server field as the user sees it. */
  const serverField = () =>
    tb.content<{ value: string; disabled: boolean; hint: string; hintShown: boolean }>(`
      const field = document.getElementById("server-url");
      const hint = document.getElementById("server-url-locked");
      return { value: field.value, disabled: field.disabled, hint: hint.textContent, hintShown: !hint.hidden };
    `);

  before(async () => {
    assertBuilt();
    server = await startServer({ port: 0 });
    archivesOnlineOnly(server);
    // The reference server's port is random: the policies are written for this run.
    policies = {
      ExtensionSettings: {
        [ADDON_ID]: { installation_mode: "force_installed", install_url: pathToFileURL(XPI).href },
      },
      "3rdparty": { Extensions: { [ADDON_ID]: { serverUrl: server.url } } },
    };
    install = installWithPolicies(policies);
    tb = await launchThunderbird({ binary: install.binary });
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
    install?.remove();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. Thunderbird applies policies.json: installs the add-on for good and hands it the preset", async () => {
    const applied = await tb.chrome<{ status: number; active: unknown }>(
      `return { status: Services.policies.status, active: Services.policies.getActivePolicies() };`,
    );
    assert.equal(applied.status, 1 /* Ci.nsIEnterprisePolicies.ACTIVE */);
    assert.deepEqual(applied.active, policies, "the policies in force are this test's (no system-wide file overrides them)");
    const addon = await waitFor(
      "the force-installed add-on running",
      () =>
        tb.chrome<{ running: boolean; canUninstall: boolean; canDisable: boolean } | null>(
          `const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
          const addon = await AddonManager.getAddonByID(args[0]);
          return addon && {
            running: addon.isActive && !!WebExtensionPolicy.getByID(args[0]),
            canUninstall: !!(addon.permissions & AddonManager.PERM_CAN_UNINSTALL),
            canDisable: !!(addon.permissions & AddonManager.PERM_CAN_DISABLE),
          };`,
          ADDON_ID,
        ),
      (state) => state?.running === true,
    );
    assert.deepEqual(addon, { running: true, canUninstall: false, canDisable: false });
    assert.deepEqual(await tb.background(ADDON_ID, "return await browser.storage.managed.get();"), { serverUrl: server.url });
  });

  step("2. the options page shows the administrator's address, read-only, with the hint", async () => {
    await tb.openOptionsPage(ADDON_ID);
    const field = await waitFor("the locked server field", serverField, (f) => f.disabled);
    assert.deepEqual(field, { value: server.url, disabled: true, hint: english["serverUrlLocked"]?.message, hintShown: true });
    assert.equal(await tb.marionette.isEnabled(await find("#server-url")), false);
    assert.equal(await tb.marionette.isDisplayed(await find("#server-url-locked")), true);
  });

  step("3. a sign-in to another server is refused, with the message in the user's language", async () => {
    // Same server, another origin: only the policy can refuse it.
    const otherOrigin = server.url.replace("127.0.0.1", "localhost");
    const response = await tb.content<{ ok: boolean; error?: { kind: string } }>(
      `return browser.runtime.sendMessage({ type: "signIn", serverUrl: args[0], login: args[1], password: args[2] });`,
      otherOrigin,
      alice.login,
      alice.password,
    );
    assert.equal(response.ok, false);
    assert.equal(response.error?.kind, "serverLocked");
    // A page whose field was tampered with gets the same refusal, says why, and shows the preset again.
    await tb.content(`const field = document.getElementById("server-url"); field.disabled = false; field.value = args[0];`, otherOrigin);
    await tb.marionette.sendKeys(await find("#login"), alice.login);
    await tb.marionette.sendKeys(await find("#password"), alice.password);
    await tb.marionette.click(await find("#sign-in-button"));
    const shown = await waitFor(
      "the refusal",
      () => text("#sign-in-error"),
      (t) => t !== "",
    );
    assert.equal(shown, english["error_serverLocked"]?.message);
    assert.deepEqual(await serverField(), {
      value: server.url,
      disabled: true,
      hint: english["serverUrlLocked"]?.message,
      hintShown: true,
    });
    assert.equal(server.requestCount(), 0, "nothing was sent to any server");
  });

  step("4. signing in with the preset address works", async () => {
    await tb.marionette.sendKeys(await find("#password"), alice.password);
    await tb.marionette.click(await find("#sign-in-button"));
    const line = await waitFor(
      "the account line",
      () => text("#account-line").catch(() => ""),
      (t) => t.includes(alice.displayName),
    );
    assert.ok(line.includes(server.url) && line.includes(alice.login), line);
    assert.equal(server.state.apiKeys(alice.uid).length, 1);
  });
});
