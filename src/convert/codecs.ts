/**
 * The two item codecs (see ItemCodec in bluemind/container-items.ts): BlueMind events and
 * BlueMind tasks, each to and from iCalendar with this converter.
 */
import type { ItemCodec } from "../bluemind/container-items";
import type { VTodo } from "../bluemind/todo-types";
import type { VEventSeries } from "../bluemind/types";
import { isMaskedPrivate } from "./masked";
import { icsToSeries } from "./series-read";
import { seriesListToIcs } from "./series-write";
import { icsToTodo } from "./vtodo-read";
import { todoListToIcs } from "./vtodo-write";

export const EVENT_CODEC: ItemCodec<VEventSeries> = {
  toIcs: (values, options) => seriesListToIcs(values, options),
  icsUid: (series) => series.icsUid,
  fromIcs: (ics, base, options) => icsToSeries(ics, base, options),
  title: (series) => series.main?.summary ?? series.occurrences[0]?.summary ?? null,
  masked: isMaskedPrivate,
};

export const TODO_CODEC: ItemCodec<VTodo> = {
  toIcs: (values, options) => todoListToIcs(values, options),
  icsUid: (todo) => todo.uid,
  fromIcs: (ics, base, options) => icsToTodo(ics, base, options),
  title: (todo) => todo.summary ?? null,
  // BlueMind does not mask private tasks: whoever may read a todo list reads all of it.
  masked: () => false,
};
