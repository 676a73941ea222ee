/**
 * A browser for Node tests of "Sign in with your browser": one cookie jar, fetch that sends
 * and keeps its cookies (redirects not followed, as the add-on asks), and a user who opens
 * BlueMind's page and logs in on its form, following redirects as a browser does.
 */

import type { WebFetch } from "../../../src/bluemind/web-session";

export class WebBrowser {
  readonly cookies = new Map<string, string>();

  readonly fetch: WebFetch = async (url, init) => {
    const headers = new Headers(init.headers);
    if (init.credentials === "include" && this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  };

  /** GET with redirects followed (at most 10); the final URL and page. */
  async visit(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    let request: RequestInit = { method: "GET", ...init, credentials: "include" };
    for (let hop = 0; hop < 10; hop++) {
      const response = await this.fetch(current, request);
      const location = response.headers.get("Location");
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).href;
        request = { method: "GET", credentials: "include" };
        continue;
      }
      return { url: current, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Opens `url`, lands on the login form, submits it: what a user does in the login window. */
  async logIn(url: string, username: string, password: string): Promise<{ url: string; body: string }> {
    const form = await this.visit(url);
    const action = /<form[^>]*action="([^"]*)"/.exec(form.body)?.[1]?.replace(/&#38;/g, "&");
    if (!action) throw new Error(`no login form at ${form.url}`);
    return this.visit(new URL(action, form.url).href, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }).toString(),
    });
  }
}
