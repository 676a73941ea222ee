/**
 * A private Thunderbird install whose distribution/policies.json the test writes, so that
 * enterprise policies can be tested without writing into /usr or /etc.
 *
 * Why it works: Gecko takes its application directory (and so `distribution/`) from the real
 * path of the binary it was started as. The private install is a directory of symlinks to the
 * real install's entries, except the binary itself, which is copied (0.6 MB); it is made in a
 * few milliseconds. Thunderbird 140, 153 and 157 all honour it. A system-wide
 * /etc/thunderbird/policies/policies.json would take precedence: the tests check that the
 * policies Thunderbird applied are theirs.
 *
 * Under the Release pass (tools/thunderbird-release.ts), Thunderbird runs in a Debian sid
 * chroot named by $THUNDERBIRD_CHROOT: the private install is then a copy of the chroot's own
 * installation, its links name paths inside the chroot, and the binary returned is a wrapper
 * that starts the copy inside the chroot. The copy is under .tmp/, inside the project, which
 * that pass mounts at the same path inside the chroot.
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

/** Thunderbird's binary inside the Release pass's chroot (Debian's package). */
const CHROOT_BINARY = "/usr/lib/thunderbird/thunderbird";

/** The real path of `file` as a process whose root directory is `rootDir` sees it. */
function realPathIn(rootDir: string, file: string): string {
  const pending = file.split("/").filter(Boolean);
  let resolved = "/";
  for (let links = 0; pending.length > 0;) {
    const part = pending.shift() as string;
    if (part === ".") continue;
    if (part === "..") {
      resolved = path.posix.dirname(resolved);
      continue;
    }
    const next = path.posix.join(resolved, part);
    const onHost = path.join(rootDir, next);
    if (fs.lstatSync(onHost).isSymbolicLink()) {
      if (++links > 40) throw new Error(`too many symbolic links resolving ${file} in ${rootDir}`);
      const target = fs.readlinkSync(onHost);
      pending.unshift(...target.split("/").filter(Boolean));
      if (target.startsWith("/")) resolved = "/";
    } else {
      resolved = next;
    }
  }
  return resolved;
}

/** Makes a private install of $THUNDERBIRD_BINARY (or Debian's, or the chroot's) under .tmp/, with these policies. */
export function installWithPolicies(policies: Record<string, unknown>): PolicyInstall {
  const chroot = process.env["THUNDERBIRD_CHROOT"];
  const rootDir = chroot ?? "/";
  /** A path as seen by Thunderbird (inside the chroot, if any) -> the same file seen from here. */
  const here = (inside: string): string => path.join(rootDir, inside);
  const realBinary = realPathIn(
    rootDir,
    chroot ? CHROOT_BINARY : path.resolve(process.env["THUNDERBIRD_BINARY"] ?? DEFAULT_THUNDERBIRD_BINARY),
  );
  const source = path.dirname(realBinary);
  fs.mkdirSync(path.join(root, ".tmp"), { recursive: true });
  const target = fs.mkdtempSync(path.join(root, ".tmp", "thunderbird-policies-"));
  for (const name of fs.readdirSync(here(source))) {
    if (name === path.basename(realBinary)) {
      fs.copyFileSync(here(realBinary), path.join(target, name));
      fs.chmodSync(path.join(target, name), 0o755);
    } else if (name !== "distribution") {
      // Relative links of the real install (Debian's omni.ja -> ../../share/...) keep resolving.
      fs.symlinkSync(path.join(source, name), path.join(target, name));
    }
  }
  const distribution = path.join(target, "distribution");
  fs.mkdirSync(distribution);
  let shipped: string | undefined;
  try {
    shipped = realPathIn(rootDir, path.join(source, "distribution"));
  } catch {
    shipped = undefined; // Debian ships none
  }
  if (shipped !== undefined) {
    for (const name of fs.readdirSync(here(shipped))) {
      if (name !== "policies.json") fs.symlinkSync(path.join(shipped, name), path.join(distribution, name));
    }
  }
  fs.writeFileSync(path.join(distribution, "policies.json"), JSON.stringify({ policies }, null, 2));
  let binary = path.join(target, path.basename(realBinary));
  if (chroot) {
    const wrapper = path.join(target, "thunderbird-in-chroot");
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec chroot ${quote(chroot)} ${quote(binary)} "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
    binary = wrapper;
  }
  return {
    binary,
    remove: () => fs.rmSync(target, { recursive: true, force: true }),
  };
}
