/**
 * ICalendar._search over one calendar: the dateMin/dateMax window (decided per expanded
 * occurrence, from the search index where it holds the record: search-index.ts), a small
 * subset of the Elasticsearch query string, the attendee filter and from/size paging with
 * BlueMind's defaults (size 10000 when absent; an explicit 0 = ES's 10).
 */
import type { ItemValue, ListResult, VEvent, VEventQuery, VEventSeries } from "../src/bluemind/types";
import { check } from "./acl";
import type { Caller, ContainerRecord } from "./model";
import { maskForCaller } from "./privacy";
import { recordOverlaps } from "./search-index";
import type { ServerState } from "./store";

function events(s: VEventSeries): VEvent[] {
  return [...(s.main ? [s.main] : []), ...(s.occurrences ?? [])];
}

function fieldValues(e: VEvent, field: string): string[] {
  switch (field) {
    case "value.summary":
    case "summary":
      return [e.summary ?? ""];
    case "value.location":
    case "location":
      return [e.location ?? ""];
    case "value.description":
    case "description":
      return [e.description ?? ""];
    case "value.attendees.mailto":
      return (e.attendees ?? []).map((a) => a.mailto ?? "");
    case "value.attendees.commonName":
      return (e.attendees ?? []).map((a) => a.commonName ?? "");
    case "value.organizer.mailto":
      return [e.organizer?.mailto ?? ""];
    case "value.categories.label":
      return (e.categories ?? []).map((c) => c.label);
    default:
      return [e.summary ?? "", e.location ?? "", e.description ?? ""];
  }
}

/** Terms (`word`, `"a phrase"`, `field:word`) all have to match, case-insensitively. */
export function matchesQuery(s: VEventSeries, query: string): boolean {
  const terms = [...query.matchAll(/(?:([\w.]+):)?(?:"([^"]*)"|(\S+))/g)];
  return terms.every((m) => {
    const field = m[1] ?? "";
    const needle = (m[2] ?? m[3] ?? "").replace(/\*/g, "").toLowerCase();
    if (field === "" && needle === "") return true;
    if (field === "uid" || field === "value.icsUid") return s.icsUid.toLowerCase() === needle;
    return events(s).some((e) => fieldValues(e, field).some((v) => v.toLowerCase().includes(needle)));
  });
}

function matchesAttendee(state: ServerState, c: ContainerRecord, s: VEventSeries, q: NonNullable<VEventQuery["attendee"]>): boolean {
  const dir = q.calendarOwnerAsDir ? `bm://${state.directory.get(c.owner)?.path ?? ""}` : q.dir;
  return events(s).some((e) =>
    (e.attendees ?? []).some((a) => (dir == null || a.dir === dir) && (q.partStatus == null || a.partStatus === q.partStatus)),
  );
}

export function searchCalendar(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  q: VEventQuery | null,
): ListResult<ItemValue<VEventSeries>> {
  check(caller, c, "Read");
  const query = q ?? {};
  const text = (query.query ?? "").trim();
  const searchInPrivate = caller?.subject === c.owner;
  const items = (state.calendar(c.uid)?.all() ?? []).filter((iv) => {
    const s = iv.value;
    if (text) {
      if (!searchInPrivate && s.main && s.main.classification && s.main.classification !== "Public") return false;
      if (!matchesQuery(s, text)) return false;
    }
    if (query.attendee && !matchesAttendee(state, c, s, query.attendee)) return false;
    return recordOverlaps(iv, query.dateMin, query.dateMax);
  });
  const from = query.from ?? 0;
  const size = query.size === undefined || query.size === null ? 10000 : query.size > 0 ? query.size : 10;
  const page = items.slice(from, from + size).map((iv) => maskForCaller(iv, caller, c));
  // BlueMind HEAD returns the number of uids in the page as `total`.
  return { values: page, total: page.length };
}
