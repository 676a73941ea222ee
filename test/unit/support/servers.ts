/**
 * Loopback servers for client tests: the reference BlueMind server, plus the things a user
 * can mistype as a BlueMind address (a web page, a closed port, a TLS server whose
 * certificate is not trusted).
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { BlueMindHttp, apiPath } from "../../../src/bluemind/http";
import type { LoginResponse } from "../../../src/bluemind/types";

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server, scheme: "http" | "https"): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers every request with an HTML page and the given status, like a web server or portal. */
export function startWebPage(status: number): Promise<LoopbackServer> {
  return listen(
    createHttpServer((_req, res) => {
      res.writeHead(status, { "Content-Type": "text/html" });
      res.end("<html><body>Welcome</body></html>");
    }),
    "http",
  );
}

/** Accepts connections and never answers: a hung server. */
export function startHangingServer(): Promise<LoopbackServer> {
  return listen(
    createHttpServer(() => undefined),
    "http",
  );
}

/** A URL where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = await startWebPage(200);
  await server.close();
  return server.url;
}

/** An https server with a throw-away self-signed certificate (made with openssl). */
export async function startUntrustedTls(): Promise<LoopbackServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "bm-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const server = createHttpsServer(
      { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) },
      (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end("{}");
      },
    );
    return await listen(server, "https");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A password session, as BlueMind's web app holds one. */
export async function webSession(origin: string, login: string, password: string): Promise<BlueMindHttp> {
  const http = new BlueMindHttp({ origin });
  const response = await http.call<LoginResponse>("POST", apiPath("auth", "login"), {
    query: { login, origin: "webmail" },
    body: password,
  });
  if (response.status !== "Ok" || !response.authKey) throw new Error(`web login failed: ${response.status}`);
  return http.withKey(response.authKey);
}
