/**
 * Thunderbird's process group: killing it, and the process 'exit'/SIGINT/SIGTERM/SIGHUP handlers
 * that kill every Thunderbird still alive, so that no run leaves one behind.
 */
import type { ChildProcess } from "node:child_process";

// ------------------------------------------------------------------ process bookkeeping

/** Running Thunderbirds → sync cleanup of their temp dir (or a no-op), for the exit handlers. */
export const liveProcesses = new Map<ChildProcess, () => void>();
let handlersInstalled = false;

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid: the whole process group (spawned detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is.
  const killAll = (): void => {
    for (const [child, cleanup] of liveProcesses) {
      killGroup(child);
      cleanup();
    }
    liveProcesses.clear();
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = (): void => {
      killAll();
      // If nobody else handles the signal, restore the default behaviour (terminate).
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}
