/**
 * BlueMind's own volume warning (BaseSubscriptionsEditor, "OVER 9000"): shown when
 * Synchronisation is on and the calendar holds more than 9000 entries. Client-side only;
 * the server enforces no limit.
 */

export const CALENDAR_SIZE_WARNING_THRESHOLD = 9000;

export function needsSizeWarning(offlineSync: boolean, total: number | null | undefined): boolean {
  return offlineSync && typeof total === "number" && total > CALENDAR_SIZE_WARNING_THRESHOLD;
}
