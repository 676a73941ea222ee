/**
 * A tiny SMTP server on loopback that keeps every message Thunderbird sends (no auth, no TLS),
 * so a test can tell which invitations Thunderbird mailed itself. Enough of RFC 5321 for
 * Thunderbird's SmtpClient: EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT.
 */

import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface SentMail {
  from: string;
  to: string[];
  /** The whole message as received (headers and body, CRLF line ends). */
  data: string;
  /** The iTIP method of its text/calendar part (REQUEST, CANCEL, REPLY…), or null. */
  method: string | null;
  subject: string;
}

export interface SmtpSink {
  port: number;
  messages: SentMail[];
  close(): Promise<void>;
}

const address = (arg: string): string => (/<([^>]*)>/.exec(arg)?.[1] ?? arg.trim()).toLowerCase();

function itipMethod(data: string): string | null {
  return /^METHOD:\s*([A-Z-]+)\s*$/im.exec(data)?.[1]?.toUpperCase() ?? /method=["']?([A-Za-z-]+)/i.exec(data)?.[1]?.toUpperCase() ?? null;
}

function serve(socket: Socket, messages: SentMail[]): void {
  let buffer = "";
  let envelope: { from: string; to: string[] } = { from: "", to: [] };
  let inData = false;
  let data: string[] = [];
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply("220 localhost ESMTP test sink");
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (inData) {
        if (line === ".") {
          inData = false;
          const text = data.join("\r\n");
          messages.push({ ...envelope, data: text, method: itipMethod(text), subject: /^Subject:\s*(.*)$/im.exec(text)?.[1] ?? "" });
          envelope = { from: "", to: [] };
          data = [];
          reply("250 2.0.0 kept");
        } else {
          data.push(line.startsWith("..") ? line.slice(1) : line);
        }
        continue;
      }
      const [verb = "", ...rest] = line.split(" ");
      const arg = rest.join(" ");
      switch (verb.toUpperCase()) {
        case "EHLO":
          reply("250-localhost");
          reply("250-8BITMIME");
          reply("250 SIZE 52428800");
          break;
        case "HELO":
          reply("250 localhost");
          break;
        case "MAIL":
          envelope = { from: address(arg.replace(/^FROM:/i, "").split(" ")[0] ?? ""), to: [] };
          reply("250 2.1.0 ok");
          break;
        case "RCPT":
          envelope.to.push(address(arg.replace(/^TO:/i, "")));
          reply("250 2.1.5 ok");
          break;
        case "DATA":
          inData = true;
          reply("354 end with <CRLF>.<CRLF>");
          break;
        case "RSET":
          envelope = { from: "", to: [] };
          reply("250 2.0.0 ok");
          break;
        case "NOOP":
          reply("250 2.0.0 ok");
          break;
        case "QUIT":
          reply("221 2.0.0 bye");
          socket.end();
          break;
        default:
          reply("502 5.5.2 not implemented");
      }
    }
  });
  socket.on("error", () => socket.destroy());
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SentMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serve(socket, messages);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
