/**
 * How a BlueMind calendar or todo list is known to Thunderbird: a stable URI built from the
 * server origin and the container uid (`/api/calendars/<uid>`, `/api/todolist/<uid>`), and the
 * colour it is shown with. Thunderbird ids are never used as
 * identity, because switching `cache.enabled` re-creates a calendar under a new id.
 */

/** The two kinds of BlueMind containers that become Thunderbird calendars. */
export type ContainerKind = "calendar" | "todolist";

/** Where each kind lives in BlueMind's REST API (ICalendar, ITodoList). */
const API_ROOT: Record<ContainerKind, string> = { calendar: "calendars", todolist: "todolist" };

/** The container's REST resource, which is also its identity in Thunderbird. */
export function calendarUri(serverOrigin: string, containerUid: string, kind: ContainerKind = "calendar"): string {
  return `${serverOrigin}/api/${API_ROOT[kind]}/${encodeURIComponent(containerUid)}`;
}

/** The container behind a URI of this server, and its kind; null for anything else. */
export function containerOfUri(serverOrigin: string, uri: string): { uid: string; kind: ContainerKind } | null {
  for (const kind of ["calendar", "todolist"] as const) {
    const prefix = `${serverOrigin}/api/${API_ROOT[kind]}/`;
    if (!uri.startsWith(prefix)) continue;
    const rest = uri.slice(prefix.length);
    if (rest === "" || rest.includes("/")) return null;
    try {
      return { uid: decodeURIComponent(rest), kind };
    } catch {
      return null;
    }
  }
  return null;
}

export function containerUidFromUri(serverOrigin: string, uri: string): string | null {
  return containerOfUri(serverOrigin, uri)?.uid ?? null;
}

/** BlueMind's web calendar palette, for calendars without a chosen `bm_color`. */
const FALLBACK_PALETTE = ["#3D99FF", "#FF6638", "#62CD00", "#D07BE3", "#F5A623", "#2EB398", "#E04F5F", "#8E8E8E"];

/** A colour stable across runs and machines, picked from the uid when BlueMind has none. */
export function displayColor(containerUid: string, bmColor: string | null): string {
  if (bmColor && /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(bmColor)) {
    return bmColor.slice(0, 7).toUpperCase();
  }
  let hash = 0;
  for (const char of containerUid) {
    hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  }
  return FALLBACK_PALETTE[hash % FALLBACK_PALETTE.length] ?? "#3D99FF";
}

// eslint-disable-next-line no-control-regex -- matching control characters (C0, DEL, C1) is its purpose
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;
export const MAX_CALENDAR_NAME_LENGTH = 200;

/**
 * A server-provided name made safe for Thunderbird's calendar list and prefs: control
 * characters become spaces, whitespace is collapsed, and a very long name is shortened.
 * (It is still only ever shown as text.)
 */
export function calendarName(name: string): string {
  const clean = name.replace(CONTROL_CHARACTERS, " ").replace(/\s+/g, " ").trim();
  const chars = [...clean];
  return chars.length > MAX_CALENDAR_NAME_LENGTH ? `${chars.slice(0, MAX_CALENDAR_NAME_LENGTH - 1).join("")}…` : clean;
}
