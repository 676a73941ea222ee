/**
 * Which X- properties from Thunderbird reach BlueMind. Only alarm state (X-MOZ-LASTACK,
 * X-MOZ-SNOOZE-TIME[-<recurrence>]) is kept, in the VEvent's `properties` under its iCalendar
 * name, so a dismissed reminder stays dismissed after a sync (Thunderbird does the same on
 * CalDAV). Other X-MOZ-* (GENERATION, RECEIVED-*, SEND-INVITATIONS…) are client bookkeeping.
 */

const KEPT = /^X-MOZ-(LASTACK|SNOOZE-TIME(-\d+)?)$/i;

export function isKeptXProp(name: string): boolean {
  return KEPT.test(name);
}

/** Thunderbird marks the master it invents for a lone exception with this property. */
export const FAKED_MASTER = "x-moz-faked-master";
