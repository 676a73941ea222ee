/**
 * Private-event filtering (CalendarService.filter + VEvent.filtered): when a series' main
 * event is not Public and the caller lacks ReadExtended, main and every override come back
 * with summary "Private" and the personal fields removed. ItemValue.displayName is left as
 * stored, exactly like BlueMind (it still holds the real summary).
 */
import type { ItemValue, VEvent, VEventSeries } from "../src/bluemind/types";
import { can } from "./acl";
import type { Caller, ContainerRecord } from "./model";

function filtered<E extends VEvent>(e: E): E {
  return {
    ...e,
    summary: "Private",
    description: null,
    location: null,
    url: null,
    attendees: [],
    attachments: [],
    organizer: null,
    conference: null,
    categories: [],
  };
}

export function isPrivate(series: VEventSeries): boolean {
  const c = series.main?.classification;
  return series.main != null && c != null && c !== "Public";
}

/** Returns the item as the caller may see it (a masked copy, or the item itself). */
export function maskForCaller(item: ItemValue<VEventSeries>, caller: Caller | null, container: ContainerRecord): ItemValue<VEventSeries> {
  if (!isPrivate(item.value) || can(caller, container, "ReadExtended")) return item;
  return {
    ...item,
    value: {
      ...item.value,
      main: item.value.main ? filtered(item.value.main) : null,
      occurrences: (item.value.occurrences ?? []).map(filtered),
    },
  };
}
