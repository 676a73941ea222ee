/**
 * One Thunderbird calendar of ours as the add-on decides it: what reconciliation wants
 * (reconcile.ts), what the adapter lists and creates (thunderbird/calendars.ts) and what the
 * experiment takes (thunderbird/provider-contract.ts re-exports both names for it). Why
 * apart: the shape is shared by the sync layer and the layers above it, so it lives at the
 * lowest of them, declared once.
 */

export interface CalendarSpec {
  uri: string;
  name: string;
  color: string;
  readOnly: boolean;
  /** BlueMind's Synchronisation: on ⇒ Thunderbird caches the calendar, off ⇒ online-only. */
  cached: boolean;
}

/** What may change of a calendar, addressed by its URI. */
export type CalendarChanges = Partial<Omit<CalendarSpec, "uri">>;
