/**
 * What each calendar is doing, for the options page: syncing (with progress during a long
 * first sync), last sync, last error; plus the edits BlueMind had changed meanwhile
 * (conflicts), which are reported here rather than in a modal prompt.
 */

import { toErrorReport, type ErrorReport } from "../bluemind/errors";
import type { SyncProgress } from "../sync/cached-sync";
import type { ConflictReport } from "../sync/event-writes";

export interface CalendarActivityView {
  syncing: boolean;
  progress: SyncProgress | null;
  lastSync: number | null;
  error: ErrorReport | null;
}

export interface ConflictView extends ConflictReport {
  calendarName: string;
  at: number;
}

const MAX_CONFLICTS = 20;

export class CalendarActivity {
  private readonly byUid = new Map<string, CalendarActivityView>();
  private readonly recentConflicts: ConflictView[] = [];

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  of(uid: string): CalendarActivityView {
    return this.byUid.get(uid) ?? { syncing: false, progress: null, lastSync: null, error: null };
  }

  get conflicts(): ConflictView[] {
    return [...this.recentConflicts];
  }

  started(uid: string): void {
    this.byUid.set(uid, { ...this.of(uid), syncing: true, progress: null });
    this.changed();
  }

  progress(uid: string, progress: SyncProgress): void {
    this.byUid.set(uid, { ...this.of(uid), syncing: true, progress });
    this.changed();
  }

  succeeded(uid: string): void {
    this.byUid.set(uid, { syncing: false, progress: null, lastSync: this.now(), error: null });
    this.changed();
  }

  /**
   * A live query (online-only calendar) worked: that is its "last sync". The page hears of it
   * when an error goes, or at most once a minute, not at every range Thunderbird asks for.
   */
  recovered(uid: string): void {
    const current = this.of(uid);
    const now = this.now();
    if (current.error || current.lastSync === null || now - current.lastSync >= 60_000) {
      this.byUid.set(uid, { ...current, error: null, lastSync: now });
      this.changed();
    }
  }

  failed(uid: string, error: unknown): void {
    this.byUid.set(uid, { ...this.of(uid), syncing: false, progress: null, error: toErrorReport(error) });
    this.changed();
  }

  conflict(calendarName: string, report: ConflictReport): void {
    this.recentConflicts.unshift({ ...report, calendarName, at: this.now() });
    this.recentConflicts.splice(MAX_CONFLICTS);
    this.changed();
  }

  clear(): void {
    this.byUid.clear();
    this.recentConflicts.splice(0);
  }
}
