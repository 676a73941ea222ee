/**
 * The user's `mailboxCopyGuid` (`GET /api/auth`), BlueMind's signal that the mailbox was
 * moved or restored, read sparingly: every cached calendar compares it at each sync, but one
 * read serves them all for a quarter of an hour (a check stays at its few requests), and
 * "Synchronise now", going back online and start-up read it again at once.
 */

export const MAILBOX_CHECK_MS = 15 * 60_000;

export class MailboxWatch {
  private last: { guid: string | null; at: number } | null = null;
  private reading: Promise<string | null> | null = null;

  constructor(
    private readonly read: () => Promise<string | null>,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = MAILBOX_CHECK_MS,
  ) {}

  /** The guid, read again when the last read is older than the check period (one read at a time). */
  current(): Promise<string | null> {
    if (this.last && this.now() - this.last.at < this.maxAgeMs) {
      return Promise.resolve(this.last.guid);
    }
    if (!this.reading) {
      const started = this.now();
      this.reading = this.read()
        .then((guid) => {
          this.last = { guid, at: started };
          return guid;
        })
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }

  /** The next sync reads it again (the user asked for a sync, or Thunderbird came back online). */
  expire(): void {
    this.last = null;
  }
}
