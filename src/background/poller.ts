/**
 * Follows BlueMind by itself: a cheap check every N minutes (2 by default), the first one
 * after a random delay of up to a minute, so a whole office opening Thunderbird at 9:00 does
 * not hit the server at once. Ticks never overlap. After a failed check the next one waits
 * twice as long each time (up to an hour), and never less than the server's Retry-After.
 */

import { BlueMindError } from "../bluemind/errors";

export const DEFAULT_POLL_MINUTES = 2;
export const MIN_POLL_MINUTES = 1;
export const MAX_POLL_MINUTES = 60;
export const MAX_STARTUP_DELAY_MS = 60_000;
/** The longest wait between two checks while they fail. */
export const MAX_BACKOFF_MINUTES = 60;

export function clampPollMinutes(value: unknown): number {
  const minutes = Math.round(Number(value));
  if (!Number.isFinite(minutes)) {
    return DEFAULT_POLL_MINUTES;
  }
  return Math.min(MAX_POLL_MINUTES, Math.max(MIN_POLL_MINUTES, minutes));
}

export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private minutes = DEFAULT_POLL_MINUTES;
  private failures = 0;
  private running = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly random: () => number = Math.random,
    /** Length of a minute; shorter in tests. */
    private readonly minuteMs = 60_000,
  ) {}

  /** Consecutive failed checks (0 after a good one). */
  get failedChecks(): number {
    return this.failures;
  }

  /** The wait before the next check: the interval, doubled per failure, capped, at least Retry-After. */
  nextDelayMs(retryAfterMs: number | null = null): number {
    const minutes = Math.min(this.minutes * 2 ** this.failures, Math.max(this.minutes, MAX_BACKOFF_MINUTES));
    return Math.max(minutes * this.minuteMs, retryAfterMs ?? 0);
  }

  /** First tick after a random share of the startup delay (or after `firstDelayMs`), then every `minutes`. */
  start(minutes: number, maxStartupDelayMs = MAX_STARTUP_DELAY_MS, firstDelayMs?: number): void {
    this.minutes = clampPollMinutes(minutes);
    this.running = true;
    this.schedule(firstDelayMs ?? Math.floor(this.random() * maxStartupDelayMs));
  }

  setInterval(minutes: number): void {
    this.minutes = clampPollMinutes(minutes);
    this.schedule(this.nextDelayMs());
  }

  stop(): void {
    this.running = false;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) {
      return;
    }
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      let retryAfterMs: number | null = null;
      this.tick()
        .then(
          () => {
            this.failures = 0;
          },
          (error: unknown) => {
            this.failures++;
            retryAfterMs = error instanceof BlueMindError ? error.retryAfterMs : null;
          },
        )
        .finally(() => {
          if (this.timer === null) {
            this.schedule(this.nextDelayMs(retryAfterMs));
          }
        });
    }, delayMs);
  }
}
