/**
 * CLI of the reference server: `npm run server -- --port N [--data FILE] [--host H]`.
 * Prints exactly one line with the URL once listening, serves until SIGINT/SIGTERM,
 * and flushes the data file (if any) before exiting.
 */
import { startServer } from "./app";

function parseArgs(argv: string[]): { port: number; host: string; dataFile?: string } {
  const out: { port: number; host: string; dataFile?: string } = { port: 0, host: "127.0.0.1" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--port" || arg === "--host" || arg === "--data") && value === undefined) {
      throw new Error(`${arg} needs a value`);
    }
    if (arg === "--port") out.port = Number(argv[++i]);
    else if (arg === "--host") out.host = argv[++i]!;
    else if (arg === "--data") out.dataFile = argv[++i]!;
    else throw new Error(`unknown argument ${arg}; usage: --port N [--data FILE] [--host H]`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`invalid port ${out.port}`);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startServer(args);
  process.stdout.write(`BlueMind reference server listening on ${server.url}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
