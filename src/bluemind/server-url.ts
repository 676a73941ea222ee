/**
 * What the user types as "server URL" becomes the origin every request goes to. BlueMind
 * serves its API under <origin>/api, so only the origin is kept. https is required, except on
 * the loopback interface (the reference server, or an SSH tunnel), so the API key never
 * crosses a network in clear text.
 */

import { BlueMindError } from "./errors";

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Returns the server origin (scheme://host[:port]) or throws invalidUrl / insecureUrl. */
export function normalizeServerUrl(input: string): string {
  const text = input.trim();
  if (text === "") {
    throw new BlueMindError("invalidUrl", "empty server URL");
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new BlueMindError("invalidUrl", `not a URL: ${text}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new BlueMindError("invalidUrl", `unsupported scheme ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new BlueMindError("invalidUrl", "credentials in the URL");
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new BlueMindError("insecureUrl", `http is only allowed on loopback: ${url.origin}`);
  }
  return url.origin;
}
