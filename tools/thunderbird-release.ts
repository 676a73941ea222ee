/**
 * Runs a command (the end-to-end suite) against Thunderbird Release, the monthly channel: Debian
 * experimental's build, which needs sid's libraries, so it runs in a Debian sid chroot made on
 * first use under .tmp/thunderbird-release/sid (see sid-chroot.ts). The harness stays outside;
 * THUNDERBIRD_BINARY is a wrapper that starts Thunderbird inside the chroot, where the project
 * checkout is bind-mounted at its own path (profiles go to TMPDIR=.tmp/e2e-tmp, inside it), and
 * Marionette answers on the shared loopback. THUNDERBIRD_CHROOT tells the tests where the
 * chroot is (policy-install.ts copies the chroot's own installation).
 *   usage: tsx tools/thunderbird-release.ts [--upgrade] [--remove] [<command> [args...]]
 *   --upgrade  first upgrade Thunderbird in the chroot to what experimental has now
 *   --remove   delete the chroot (refused while anything is mounted under it)
 * Needs root (mmdebstrap, chroot, mount).
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import {
  CHROOT,
  CHROOT_THUNDERBIRD,
  creationCommands,
  E2E_TMP,
  ensureChroot,
  lockChroot,
  mountsUnder,
  RELEASE_DIR,
  removeSafely,
  unmountLeftovers,
  withMounts,
  WRAPPER,
  writeWrapper,
} from "./sid-chroot";
import { exitNeedingRoot, isRoot, run, thunderbirdVersion } from "./thunderbird-builds";

const TOOL = "thunderbird-release";
/** Set in the copy of this tool that runs in the private mount namespace. */
const INNER = "BMCAL_RELEASE_PRIVATE_MOUNTS";

const argv = process.argv.slice(2);
const options = { upgrade: false, remove: false };
while (argv[0]?.startsWith("--")) {
  const option = argv.shift();
  if (option === "--upgrade") options.upgrade = true;
  else if (option === "--remove") options.remove = true;
  else if (option === "--") break;
  else throw new Error(`${TOOL}: unknown option ${option}`);
}

if (!isRoot()) {
  exitNeedingRoot(
    TOOL,
    "Thunderbird Release (a Debian sid chroot and its mounts)",
    existsSync(path.join(CHROOT, CHROOT_THUNDERBIRD)) ? ["sudo npm run test:e2e:release"] : creationCommands(),
  );
}

if (!process.env[INNER]) {
  // In the machine's own mount namespace: clean up after a crashed run, then go on in a
  // private mount namespace where the system allows it: its mounts are never seen outside
  // the run, and vanish with its last process whatever happens.
  try {
    lockChroot();
  } catch (error) {
    console.error(`${TOOL}: ${(error as Error).message}`);
    process.exit(1);
  }
  unmountLeftovers();
  if (options.remove) {
    removeSafely(`${CHROOT}.partial`);
    removeSafely(CHROOT);
    console.log(`${TOOL}: removed ${CHROOT}`);
    process.exit(0);
  }
  const PRIVATE = ["--mount", "--propagation", "private"];
  // Not everywhere: in a chroot, / is no mount point and cannot be made private.
  const probe = spawnSync("unshare", [...PRIVATE, "true"], { encoding: "utf8" });
  if (probe.status === 0) {
    const script = process.argv[1] as string;
    const status = await run("unshare", [...PRIVATE, process.execPath, ...process.execArgv, script, ...process.argv.slice(2)], {
      ...process.env,
      [INNER]: "1",
    });
    const left = mountsUnder(RELEASE_DIR);
    if (left.length > 0) {
      console.error(`${TOOL}: mounts found under ${RELEASE_DIR} after the run: ${left.join(", ")}`);
      unmountLeftovers();
    }
    process.exit(status);
  }
  console.log(`${TOOL}: no private mount namespace here (${(probe.stderr || probe.error?.message || "").trim()}); mounting in this one`);
}

unmountLeftovers();
await ensureChroot(options.upgrade);
writeWrapper();
removeSafely(E2E_TMP); // profiles a killed run left behind
mkdirSync(E2E_TMP, { recursive: true });
const status = await withMounts(CHROOT, true, async () => {
  console.log(`${TOOL}: ${thunderbirdVersion(WRAPPER)} (in the chroot ${path.relative(process.cwd(), CHROOT)})`);
  const [command, ...args] = argv;
  if (!command) return 0;
  return run(command, args, { ...process.env, THUNDERBIRD_BINARY: WRAPPER, THUNDERBIRD_CHROOT: CHROOT, TMPDIR: E2E_TMP });
});
process.exit(status);
