/**
 * A worker of the background page that splits a sync block into storage rows and the rest
 * (storage-rows.ts). Why: the split parses the whole block again (about 50 ms per 500 events in
 * Node); on the worker it leaves the background page's thread to the HTTP replies of the next
 * block already in flight, the options page and the other calendars' requests.
 * Bundled by build.mjs as storage-rows-worker.js; storage-rows-client.ts talks to it.
 */

import { splitForRows } from "./storage-rows";

export interface RowsRequest {
  id: number;
  ics: string;
}

export interface RowsAnswer {
  id: number;
  /** A RowBlock as JSON, or null when no event of the block is simple. */
  rows: string | null;
  rest: string | null;
}

const scope = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<RowsRequest>) => void): void;
  postMessage(answer: RowsAnswer): void;
};

scope.addEventListener("message", (event) => {
  const { id, ics } = event.data;
  try {
    const { rows, rest } = splitForRows(ics);
    scope.postMessage({ id, rows: rows ? JSON.stringify(rows) : null, rest });
  } catch {
    // The block goes whole, to be parsed as before.
    scope.postMessage({ id, rows: null, rest: ics });
  }
});
