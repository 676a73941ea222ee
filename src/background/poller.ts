/**
 * Follows BlueMind by itself: a cheap check every N minutes (2 by default), the first one
 * after a random delay of up to a minute, so a whole office opening Thunderbird at 9:00 does
 * not hit the server at once. Ticks never overlap.
 */

export const DEFAULT_POLL_MINUTES = 2;
export const MIN_POLL_MINUTES = 1;
export const MAX_POLL_MINUTES = 60;
export const MAX_STARTUP_DELAY_MS = 60_000;

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

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly random: () => number = Math.random,
  ) {}

  /** First tick after a random share of the startup delay, then every `minutes`. */
  start(minutes: number, maxStartupDelayMs = MAX_STARTUP_DELAY_MS): void {
    this.minutes = clampPollMinutes(minutes);
    this.schedule(Math.floor(this.random() * maxStartupDelayMs));
  }

  setInterval(minutes: number): void {
    this.minutes = clampPollMinutes(minutes);
    this.schedule(this.minutes * 60_000);
  }

  stop(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule(delayMs: number): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer === null) {
            this.schedule(this.minutes * 60_000);
          }
        });
    }, delayMs);
  }
}
