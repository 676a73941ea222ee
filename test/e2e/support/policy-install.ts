/**
 * A private Thunderbird install whose distribution/policies.json the test writes, so that
 * enterprise policies can be tested without writing into /usr or /etc.
 *
 * Why it works: Gecko takes its application directory (and so `distribution/`) from the real
 * path of the binary it was started as. The private install is a directory of symlinks to the
 * real install's entries, except the binary itself, which is copied (0.6 MB); it is made in a
 * few milliseconds. Thunderbird 140 and 153 both honour it. A system-wide
 * /etc/thunderbird/policies/policies.json would take precedence: the tests check that the
 * policies Thunderbird applied are theirs.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_THUNDERBIRD_BINARY } from "../harness/thunderbird";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface PolicyInstall {
  /** The binary to launch (LaunchOptions.binary). */
  binary: string;
  /** Removes the private install. */
  remove(): void;
}

/** Makes a private install of $THUNDERBIRD_BINARY (or Debian's) under .tmp/, with these policies. */
export function installWithPolicies(policies: Record<string, unknown>): PolicyInstall {
  const realBinary = fs.realpathSync(process.env["THUNDERBIRD_BINARY"] ?? DEFAULT_THUNDERBIRD_BINARY);
  const source = path.dirname(realBinary);
  fs.mkdirSync(path.join(root, ".tmp"), { recursive: true });
  const target = fs.mkdtempSync(path.join(root, ".tmp", "thunderbird-policies-"));
  for (const name of fs.readdirSync(source)) {
    if (name === path.basename(realBinary)) {
      fs.copyFileSync(realBinary, path.join(target, name));
      fs.chmodSync(path.join(target, name), 0o755);
    } else if (name !== "distribution") {
      // Relative links of the real install (Debian's omni.ja -> ../../share/...) keep resolving.
      fs.symlinkSync(path.join(source, name), path.join(target, name));
    }
  }
  const distribution = path.join(target, "distribution");
  fs.mkdirSync(distribution);
  const shipped = path.join(source, "distribution");
  for (const name of fs.existsSync(shipped) ? fs.readdirSync(shipped) : []) {
    if (name !== "policies.json") fs.symlinkSync(path.join(shipped, name), path.join(distribution, name));
  }
  fs.writeFileSync(path.join(distribution, "policies.json"), JSON.stringify({ policies }, null, 2));
  return {
    binary: path.join(target, path.basename(realBinary)),
    remove: () => fs.rmSync(target, { recursive: true, force: true }),
  };
}
