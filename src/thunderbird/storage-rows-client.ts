/**
 * Splits large sync blocks into storage rows on a worker (storage-rows-worker.ts), in the order
 * they come; falls back to splitting on the calling thread when no worker can be started or it
 * fails. Why a worker: see storage-rows-worker.ts. The worker is started at the first large
 * block and ended once it has been idle for IDLE_MS, so that its memory goes with it.
 */

import type { CacheBatch } from "../sync/cached-sync";
import { needsRows, withStorageRows } from "./calendars";
import type { CacheBlock } from "./provider-contract";
import type { RowsAnswer, RowsRequest } from "./storage-rows-worker";

/** A worker with nothing to do for this long is ended (the next large block starts another). */
const IDLE_MS = 1_000;

interface Waiting {
  batch: CacheBatch;
  resolve: (block: CacheBlock) => void;
}

export function storageRowsOnWorker(workerUrl: string, makeWorker: (url: string) => Worker = (url) => new Worker(url)) {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const endWhenIdle = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (!waiting.size) {
        worker?.terminate();
        worker = null;
      }
    }, IDLE_MS);
  };

  const giveUp = (): void => {
    broken = true;
    worker?.terminate();
    worker = null;
    for (const { batch, resolve } of waiting.values()) resolve(withStorageRows(batch));
    waiting.clear();
  };

  const started = (): Worker | null => {
    if (worker || broken) return worker;
    try {
      worker = makeWorker(workerUrl);
    } catch {
      broken = true;
      return null;
    }
    worker.addEventListener("message", (event: MessageEvent<RowsAnswer>) => {
      const { id, rows, rest } = event.data;
      const entry = waiting.get(id);
      if (!entry) return;
      waiting.delete(id);
      entry.resolve(rows ? { ...entry.batch, ics: rest, rows } : entry.batch);
      if (!waiting.size) endWhenIdle();
    });
    worker.addEventListener("error", giveUp);
    return worker;
  };

  return (batch: CacheBatch): Promise<CacheBlock> => {
    if (!needsRows(batch)) return Promise.resolve(batch);
    const running = started();
    if (!running) return Promise.resolve(withStorageRows(batch));
    return new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, { batch, resolve });
      const request: RowsRequest = { id, ics: batch.ics ?? "" };
      running.postMessage(request);
    });
  };
}
