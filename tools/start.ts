/**
 * `npm start`: build the add-on, start the reference BlueMind server with demo data, and open a
 * visible Thunderbird (fresh profile) with the add-on installed and its sign-in form prefilled.
 *
 * Why: one command to try the add-on by hand against a server whose data is known. It reuses the e2e
 * harness (test/e2e/harness) for launching and driving Thunderbird, so there is one way to do it.
 * Without a display it keeps only the server running and says how to continue.
 *
 * Options: --port N (default 8090), --data FILE (persist the server state), --no-build.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/app";
import { launchThunderbird, type Thunderbird } from "../test/e2e/harness/thunderbird";

const ADDON_ID = "calendar-sync@bluemind-thunderbird";
const DEMO_LOGIN = "alice@bluemind.test";
const DEMO_PASSWORD = "alice";
const DEFAULT_PORT = 8090;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distDir = path.join(root, "dist");
const addonDir = path.join(distDir, "addon");

interface Args {
  port: number;
  dataFile: string | undefined;
  build: boolean;
}

function usage(): string {
  return "usage: npm start -- [--port N] [--data FILE] [--no-build]";
}

function parseArgs(argv: string[]): Args {
  const args: Args = { port: DEFAULT_PORT, dataFile: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port" || arg === "--data") {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value; ${usage()}`);
      if (arg === "--port") args.port = Number(value);
      else args.dataFile = path.resolve(value);
    } else if (arg === "--no-build") {
      args.build = false;
    } else if (arg === "--help" || arg === "-h") {
      console.log(usage());
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}; ${usage()}`);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new Error(`invalid port ${args.port}`);
  }
  return args;
}

function build(): void {
  const script = path.join(root, "build.mjs");
  if (!fs.existsSync(script)) throw new Error(`${script} not found: cannot build the add-on`);
  console.log("Building the add-on (node build.mjs) ...");
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: "inherit" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`build.mjs failed (exit code ${r.status ?? r.signal})`);
}

function findXpi(): string | undefined {
  if (!fs.existsSync(distDir)) return undefined;
  const xpi = fs
    .readdirSync(distDir)
    .filter((f) => f.endsWith(".xpi"))
    .sort()
    .pop();
  return xpi && path.join(distDir, xpi);
}

function hasDisplay(): boolean {
  return !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  // eslint-disable-next-line prefer-const -- stop() reads it before the launch below; a const would still be in its temporal dead zone
  let tb: Thunderbird | undefined;
  let stopping: Promise<void> | undefined;

  // Ctrl-C, `kill`, or Thunderbird's window being closed: stop everything once.
  const stop = (code: number): Promise<void> => {
    stopping ??= (async () => {
      if (tb) await tb.quit().catch((e: unknown) => console.error("Stopping Thunderbird:", e));
      if (server) await server.close().catch((e: unknown) => console.error("Stopping the server:", e));
      process.exit(code);
    })();
    return stopping;
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      console.log(`\n${sig}: stopping ...`);
      void stop(0);
    });
  }

  if (args.build) build();
  if (!fs.existsSync(path.join(addonDir, "manifest.json"))) {
    throw new Error(`${addonDir}/manifest.json not found; run "npm run build" first`);
  }

  try {
    server = await startServer({ port: args.port, host: "127.0.0.1", dataFile: args.dataFile });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`port ${args.port} is already in use; try: npm start -- --port ${args.port + 1}`);
    }
    throw e;
  }
  const url = server.url;
  console.log(`BlueMind reference server (demo data) running at ${url}`);
  if (args.dataFile) console.log(`Server state is saved to ${args.dataFile}`);

  if (!hasDisplay()) {
    const xpi = findXpi() ?? path.join(distDir, "<name>.xpi");
    console.log(
      [
        "",
        "No display found ($DISPLAY and $WAYLAND_DISPLAY are not set), so Thunderbird is not started.",
        `The server keeps running at ${url} until you press Ctrl-C.`,
        "",
        "To continue, either:",
        "  - run with a (virtual) display:   xvfb-run -a npm start",
        `  - or use your own Thunderbird: install ${xpi}`,
        "    (Add-ons and Themes > gear > Install Add-on From File...), open the add-on's options and sign in with",
        `      server URL: ${url}`,
        `      login:      ${DEMO_LOGIN}`,
        `      password:   ${DEMO_PASSWORD}`,
        `    (from another machine, tunnel the port first: ssh -L ${new URL(url).port}:127.0.0.1:${new URL(url).port} <this host>)`,
        "",
      ].join("\n"),
    );
    return; // the listening server keeps the process alive
  }

  console.log("Starting Thunderbird (fresh profile) ...");
  tb = await launchThunderbird({ headless: false, startupTimeoutMs: 120_000 });
  void tb.exited.then((code) => {
    if (stopping) return;
    console.log(`Thunderbird exited (code ${code}); stopping the server.`);
    void stop(0);
  });
  await tb.installAddon(addonDir, { temporary: true });
  await tb.setStorageLocal(ADDON_ID, { signInDefaults: { serverUrl: url, login: DEMO_LOGIN } });
  await tb.openOptionsPage(ADDON_ID);
  console.log(
    [
      "",
      "Thunderbird is open on the add-on's options page, prefilled with",
      `  server URL ${url} and login ${DEMO_LOGIN}; the password is "${DEMO_PASSWORD}".`,
      `Thunderbird's output (add-on console.log included): ${tb.logFile}`,
      "Close Thunderbird or press Ctrl-C to stop (the temporary profile is deleted).",
      "",
    ].join("\n"),
  );
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
