/**
 * BlueMind enum names <-> iCalendar keywords (CLASS, TRANSP, STATUS, ROLE, PARTSTAT, CUTYPE).
 * Unknown iCalendar values fall back the way RFC 5545 says readers must treat them
 * (unknown CLASS => PRIVATE, ROLE => REQ-PARTICIPANT, PARTSTAT => NEEDS-ACTION, CUTYPE => UNKNOWN).
 */
import type { AttendeeRole, Classification, CUType, EventStatus, ParticipationStatus, Transparency } from "../bluemind/types";

function invert<K extends string>(m: Record<K, string>): Record<string, K> {
  const out: Record<string, K> = {};
  for (const k of Object.keys(m) as K[]) out[m[k]] = k;
  return out;
}

export const CLASS_OUT: Record<Classification, string> = { Public: "PUBLIC", Private: "PRIVATE", Confidential: "CONFIDENTIAL" };
const CLASS_IN = invert(CLASS_OUT);
export function readClass(v: string): Classification {
  return CLASS_IN[v.toUpperCase()] ?? "Private";
}

export const TRANSP_OUT: Record<Transparency, string> = { Opaque: "OPAQUE", Transparent: "TRANSPARENT" };
const TRANSP_IN = invert(TRANSP_OUT);
export function readTransp(v: string): Transparency | null {
  return TRANSP_IN[v.toUpperCase()] ?? null;
}

/**
 * STATUS. A VEVENT may only say TENTATIVE/CONFIRMED/CANCELLED; BlueMind's other values
 * (NeedsAction, Completed, InProcess: VTODO words) go to X-BM-STATUS so they survive the
 * trip through Thunderbird, which keeps X- properties. STATUS wins when both are present.
 */
export const EVENT_STATUS_OUT: Partial<Record<EventStatus, string>> = {
  Tentative: "TENTATIVE",
  Confirmed: "CONFIRMED",
  Cancelled: "CANCELLED",
};
export const X_STATUS = "x-bm-status";
const STATUS_IN: Record<string, EventStatus> = {
  TENTATIVE: "Tentative",
  CONFIRMED: "Confirmed",
  CANCELLED: "Cancelled",
  "NEEDS-ACTION": "NeedsAction",
  COMPLETED: "Completed",
  "IN-PROCESS": "InProcess",
  "IN-PROGRESS": "InProcess",
};
const STATUS_NAMES = new Set<string>(["NeedsAction", "Completed", "InProcess", "Cancelled", "Confirmed", "Tentative"]);
export function readStatus(status: string | null, xStatus: string | null): EventStatus | null {
  if (status) {
    const s = STATUS_IN[status.toUpperCase()];
    if (s) return s;
  }
  if (xStatus && STATUS_NAMES.has(xStatus)) return xStatus as EventStatus;
  return null;
}

export const ROLE_OUT: Record<AttendeeRole, string> = {
  Chair: "CHAIR",
  RequiredParticipant: "REQ-PARTICIPANT",
  OptionalParticipant: "OPT-PARTICIPANT",
  NonParticipant: "NON-PARTICIPANT",
};
const ROLE_IN = invert(ROLE_OUT);
export function readRole(v: string): AttendeeRole {
  return ROLE_IN[v.toUpperCase()] ?? "RequiredParticipant";
}

export const PARTSTAT_OUT: Record<ParticipationStatus, string> = {
  NeedsAction: "NEEDS-ACTION",
  Accepted: "ACCEPTED",
  Declined: "DECLINED",
  Tentative: "TENTATIVE",
  Delegated: "DELEGATED",
  Completed: "COMPLETED",
};
const PARTSTAT_IN = invert(PARTSTAT_OUT);
export function readPartStat(v: string): ParticipationStatus {
  return PARTSTAT_IN[v.toUpperCase()] ?? "NeedsAction";
}

export const CUTYPE_OUT: Record<CUType, string> = {
  Individual: "INDIVIDUAL",
  Group: "GROUP",
  Resource: "RESOURCE",
  Room: "ROOM",
  Unknown: "UNKNOWN",
};
const CUTYPE_IN = invert(CUTYPE_OUT);
export function readCuType(v: string): CUType {
  return CUTYPE_IN[v.toUpperCase()] ?? "Unknown";
}

export const ALARM_ACTION_OUT = { Audio: "AUDIO", Display: "DISPLAY", Email: "EMAIL" } as const;
