/**
 * Run first by `npm test` and `npm start`: makes sure this machine has what they need from
 * Debian: Thunderbird (/usr/lib/thunderbird/thunderbird; 153 ESR from bookworm-security, whose
 * libraries the 140 ESR pass also uses) and openssl (the TLS-failure test makes a throw-away
 * certificate with it). As root it installs what is missing with apt-get; otherwise it prints
 * the exact command and exits non-zero. The 140 and Release passes fetch their own builds when
 * they run (tools/thunderbird-140.ts, tools/thunderbird-release.ts).
 *   usage: tsx tools/ensure-thunderbird.ts [--release-pass]
 *   --release-pass  (npm test) also stop at once, with the command, when not root: the Release
 *                   pass needs root (mmdebstrap, chroot, mount), so say so before the long run.
 */

import { existsSync } from "node:fs";
import { aptInstall, exitNeedingRoot, hasCommand, isRoot, SYSTEM_THUNDERBIRD, thunderbirdVersion } from "./thunderbird-builds";

const TOOL = "ensure-thunderbird";
const releasePass = process.argv.slice(2).includes("--release-pass");
const missing: string[] = [];
if (!existsSync(SYSTEM_THUNDERBIRD)) missing.push("thunderbird");
if (!hasCommand("openssl")) missing.push("openssl");

if (releasePass && !isRoot()) {
  exitNeedingRoot(TOOL, "npm test's last pass (Thunderbird Release in a Debian sid chroot: mmdebstrap, chroot, mount)", [
    "sudo npm test",
    "(or, without that pass: npm run typecheck && npm run build && npm run test:unit && npm run test:e2e && npm run test:e2e:140)",
  ]);
}
if (missing.length > 0) {
  if (!isRoot()) {
    exitNeedingRoot(TOOL, `installing ${missing.join(" and ")}`, [
      `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`,
    ]);
  }
  console.log(`${TOOL}: installing ${missing.join(" ")} with apt-get`);
  aptInstall(missing);
}
console.log(
  `${TOOL}: ${thunderbirdVersion(SYSTEM_THUNDERBIRD)} (${SYSTEM_THUNDERBIRD}), ${hasCommand("openssl") ? "openssl present" : "openssl MISSING"}`,
);
