/**
 * Keeps a whole office from hitting BlueMind at 9:00: when Thunderbird starts, the routine
 * work (the first poll, and Thunderbird's start-up refresh of calendars that are already
 * synced) waits a random delay of up to a minute. A first sync, or anything the user asks for
 * (Synchronise now, going back online), opens the gate at once.
 */

export class StartupGate {
  private release: () => void = () => undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly opened: Promise<void>;
  readonly delayMs: number;

  constructor(maxDelayMs: number, random: () => number = Math.random) {
    this.delayMs = Math.floor(random() * maxDelayMs);
    this.opened = new Promise<void>((resolve) => {
      this.release = resolve;
    });
    this.timer = setTimeout(() => this.open(), this.delayMs);
  }

  /** Resolves once the start-up delay is over, or the gate was opened. */
  wait(): Promise<void> {
    return this.opened;
  }

  open(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.release();
  }
}
