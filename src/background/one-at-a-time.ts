/**
 * The account service's operations (start-up, a sign-in, a refresh, a switch, a sign-out) run
 * one at a time, in the order they were asked, whatever the one before did (a failure does not
 * stop the queue); the page hears when each starts and ends, as its busy state. Why apart: no
 * two operations interleave their requests or their changes to Thunderbird, and that rests on
 * this one queue.
 */

export class OneAtATime {
  private running = false;
  private queue: Promise<unknown> = Promise.resolve();

  /** Called when an operation starts and when it ends. */
  constructor(private readonly changed: () => void) {}

  get busy(): boolean {
    return this.running;
  }

  run<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.running = true;
      this.changed();
      try {
        return await operation();
      } finally {
        this.running = false;
        this.changed();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
