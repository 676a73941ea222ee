/**
 * Optional `--data FILE` persistence: load the state if the file exists, and after each
 * mutation save it, debounced, with an atomic write (temp file + rename) so a crash never
 * leaves a half-written file. Sessions are deliberately not persisted (like a core restart).
 */
import { existsSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { ServerState, type ServerStateJson } from "./store";

export function loadState(file: string): ServerState | null {
  if (!existsSync(file)) return null;
  return ServerState.fromJSON(JSON.parse(readFileSync(file, "utf8")) as ServerStateJson);
}

export class Saver {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly state: ServerState,
    private readonly debounceMs = 100,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.debounceMs);
  }

  /** Writes now if anything changed; resolves when the file on disk is current. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return this.writing;
    this.dirty = false;
    const json = JSON.stringify(this.state);
    this.writing = this.writing.then(async () => {
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, json, "utf8");
      await rename(tmp, this.file);
    });
    return this.writing;
  }
}
