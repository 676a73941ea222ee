/**
 * Why: the bench waits for Thunderbird without ever hanging (every wait has a generous limit,
 * and running out of it means something broke), and it needs to know *when* each HTTP request
 * reached the in-process reference server to tell network time from Thunderbird time.
 */

import type { RequestLogEntry, RunningServer } from "../../server/app";

/** Ten minutes: no sync of 10,000 events should come anywhere near it. */
export const SYNC_TIMEOUT_MS = 10 * 60_000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` every `intervalMs` until `accept` holds; throws after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  intervalMs = 250,
  timeoutMs = SYNC_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    }
    await sleep(intervalMs);
  }
}

/** Two Date.now() instants (Node's and Thunderbird's clocks are the same on this machine). */
export interface Window {
  from: number;
  to: number;
}

export interface TimedRequest {
  /** Date.now() when the request reached the server. */
  at: number;
  entry: RequestLogEntry;
}

/** Stamps every request the server logs from now on (the log array's push is the one hook). */
export function stampRequests(server: RunningServer): TimedRequest[] {
  const stamped: TimedRequest[] = [];
  const log = server.requests;
  const push = log.push.bind(log);
  log.push = (...entries: RequestLogEntry[]) => {
    for (const entry of entries) stamped.push({ at: Date.now(), entry });
    return push(...entries);
  };
  return stamped;
}

/** Requests about one calendar container: /api/calendars/<uid> and below. */
export function underCalendar(containerUid: string): (entry: RequestLogEntry) => boolean {
  const prefix = `/api/calendars/${containerUid}`;
  return (entry) => entry.path === prefix || entry.path.startsWith(`${prefix}/`);
}
