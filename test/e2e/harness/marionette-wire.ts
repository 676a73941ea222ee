/**
 * The Marionette wire (protocol level 3) over a raw TCP socket: `<byte length>:<json>` frames,
 * `[0,id,name,params]` -> `[1,id,error,result]`, the server hello, pending commands and their
 * time-outs, and the socket kept referenced only while a command waits. Why a file of its own:
 * this is the only part that touches bytes; ./marionette.ts adds the WebDriver commands on top.
 */
import net from "node:net";

/**
 * An error reported by Marionette. `name` (and `error`) is the WebDriver error code, e.g.
 * "no such element", "javascript error", "no such window"; the message ends with the command name.
 */
export class MarionetteError extends Error {
  readonly error: string;
  readonly remoteStacktrace: string | undefined;
  readonly command: string;

  constructor(command: string, error: string, message: string, stacktrace?: string) {
    super(`${message} [${command}]`);
    this.name = error;
    this.error = error;
    this.command = command;
    this.remoteStacktrace = stacktrace;
  }
}

export interface SendOptions {
  /** Reject (and forget the command) if no response arrives in time. Default: wait forever. */
  timeoutMs?: number;
}

interface Pending {
  name: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Connects and waits for the server hello, through `make`. Retries ECONNREFUSED until timeoutMs. */
export async function connectWire<T extends MarionetteWire>(
  make: (socket: net.Socket) => T,
  port: number,
  host: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ port, host });
        s.once("connect", () => {
          s.removeListener("error", reject);
          resolve(s);
        });
        s.once("error", reject);
      });
      socket.setNoDelay(true);
      const client = make(socket);
      const hello = await client.hello;
      if (hello.marionetteProtocol !== 3) {
        client.close();
        throw new Error(`Unsupported Marionette protocol: ${JSON.stringify(hello)}`);
      }
      return client;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === "ECONNREFUSED" || code === "ECONNRESET") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      throw err;
    }
  }
}

export class MarionetteWire {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer: Buffer = Buffer.alloc(0);
  private helloSeen = false;
  private closedError: Error | undefined;
  /** Resolves with the server hello, e.g. `{applicationType:"gecko", marionetteProtocol:3}`. */
  readonly hello: Promise<Record<string, unknown>>;
  private resolveHello!: (hello: Record<string, unknown>) => void;
  private rejectHello!: (err: Error) => void;

  protected constructor(private readonly socket: net.Socket) {
    this.hello = new Promise((resolve, reject) => {
      this.resolveHello = resolve;
      this.rejectHello = reject;
    });
    this.hello.catch(() => undefined); // surfaced through connect()
    // After the hello, the socket only keeps Node alive while a command is pending (send/untrack):
    // a test run that forgot quit() then ends instead of hanging, and the harness's exit handler
    // kills Thunderbird.
    this.hello.then(
      () => {
        if (this.pending.size === 0) socket.unref();
      },
      () => undefined,
    );
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("Marionette connection closed")));
  }

  /** True once the socket is gone; every pending and future command rejects. */
  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** Sends a raw command; resolves with the result body, rejects with MarionetteError. */
  send<T = unknown>(name: string, params: Record<string, unknown> = {}, opts: SendOptions = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify([0, id, name, params]), "utf8");
    return new Promise<T>((resolve, reject) => {
      const timer =
        opts.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.untrack(id);
              reject(new Error(`Marionette command ${name} timed out after ${opts.timeoutMs} ms`));
            }, opts.timeoutMs);
      if (this.pending.size === 0) this.socket.ref();
      this.pending.set(id, { name, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(Buffer.concat([Buffer.from(`${payload.length}:`, "ascii"), payload]));
    });
  }

  /** Like send(), but unwraps the usual `{value: ...}` result body. */
  async command<T = unknown>(name: string, params: Record<string, unknown> = {}, opts: SendOptions = {}): Promise<T> {
    const body = await this.send<{ value: T } | null>(name, params, opts);
    return (body === null || body === undefined ? null : body.value) as T;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Marionette:Quit (default flags eForceQuit). The application may close the socket before
   * answering; that counts as success.
   */
  async quit(flags: string[] = ["eForceQuit"], timeoutMs = 10_000): Promise<void> {
    try {
      await this.send("Marionette:Quit", { flags }, { timeoutMs });
    } catch (err) {
      if (!this.closed) throw err;
    } finally {
      this.close();
    }
  }

  /** Closes the socket (does not stop the application). */
  close(): void {
    this.socket.destroy();
    this.fail(new Error("Marionette connection closed"));
  }

  // ---------------------------------------------------------------- framing

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const colon = this.buffer.indexOf(0x3a); // ':'
      if (colon < 0) return;
      const len = Number(this.buffer.subarray(0, colon).toString("ascii"));
      if (!Number.isInteger(len) || len < 0) {
        this.fail(new Error(`Malformed Marionette frame header: ${this.buffer.subarray(0, colon).toString()}`));
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < colon + 1 + len) return;
      const json = this.buffer.subarray(colon + 1, colon + 1 + len).toString("utf8");
      this.buffer = this.buffer.subarray(colon + 1 + len);
      let packet: unknown;
      try {
        packet = JSON.parse(json);
      } catch (err) {
        this.fail(new Error(`Malformed Marionette JSON: ${(err as Error).message}`));
        this.socket.destroy();
        return;
      }
      this.onPacket(packet);
    }
  }

  private onPacket(packet: unknown): void {
    if (!this.helloSeen) {
      this.helloSeen = true;
      this.resolveHello(packet as Record<string, unknown>);
      return;
    }
    if (!Array.isArray(packet) || packet[0] !== 1 || typeof packet[1] !== "number") return;
    const [, id, error, result] = packet as [number, number, unknown, unknown];
    const p = this.untrack(id);
    if (!p) return; // timed out earlier
    if (error) {
      const e = error as { error?: string; message?: string; stacktrace?: string };
      p.reject(new MarionetteError(p.name, e.error ?? "unknown error", e.message ?? JSON.stringify(error), e.stacktrace));
    } else {
      p.resolve(result);
    }
  }

  private untrack(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if (this.pending.size === 0) this.socket.unref();
    return p;
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    this.rejectHello(err);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error(`${p.name}: ${err.message}`));
    }
  }
}
