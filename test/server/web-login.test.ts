/**
 * Conformance of the web login that stands for bm-webserver's AuthenticationFilter and the
 * identity provider's form: the redirect without a session, the form (wrong password: an
 * error and no cookie; right password: the OpenIdSession cookie holding an ordinary core
 * session), the web app page, /session-infos, /bluemind_sso_logout, and /api left untouched.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import { useServer } from "./helpers";

const W = DEMO.web;
const { alice, carolSso, carol } = DEMO.users;

interface WebResponse {
  status: number;
  location: string | null;
  cookies: string[];
  contentType: string;
  text: string;
}

function web(server: { readonly url: string }) {
  async function send(method: string, path: string, cookie?: string | null, form?: Record<string, string>): Promise<WebResponse> {
    const headers: Record<string, string> = {};
    if (cookie) headers.Cookie = cookie;
    if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const res = await fetch(server.url + path, {
      method,
      headers,
      redirect: "manual",
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return {
      status: res.status,
      location: res.headers.get("location"),
      cookies: res.headers.getSetCookie(),
      contentType: res.headers.get("content-type") ?? "",
      text: await res.text(),
    };
  }
  /** Logs in with the form; returns the `name=value` to send back as Cookie. */
  async function login(username: string, password: string): Promise<string> {
    const r = await send("POST", W.loginPage, null, { username, password });
    assert.equal(r.status, 302, `login ${username}: ${r.text}`);
    const set = r.cookies.find((c) => c.startsWith(`${W.cookie}=`));
    assert.ok(set, "OpenIdSession cookie set");
    return set.split(";")[0]!;
  }
  return {
    get: (path: string, cookie?: string | null) => send("GET", path, cookie),
    post: (path: string, form: Record<string, string>, cookie?: string | null) => send("POST", path, cookie, form),
    login,
  };
}

/** The JSON inside an `OpenIdSession=<url-encoded JSON>` pair. */
function cookieJson(pair: string): { sid: string; domain_uid: string } {
  return JSON.parse(decodeURIComponent(pair.slice(pair.indexOf("=") + 1))) as { sid: string; domain_uid: string };
}

const loginLocation = (askedUri: string): string => `${W.loginPage}?askedUri=${encodeURIComponent(askedUri)}`;

describe("reference server: web login", () => {
  const bm = useServer();
  const { api } = bm;
  const browser = web(bm);

  it("redirects every non-/api path without a session to the login page, keeping where to go back", async () => {
    const root = await browser.get("/");
    assert.equal(root.status, 302);
    assert.equal(root.location, loginLocation("/"));
    assert.deepEqual(root.cookies, []);
    assert.equal((await browser.get("/cal/?view=week")).location, loginLocation("/cal/?view=week"));
    // /session-infos too: the filter's answer for any protected path.
    const infos = await browser.get(W.sessionInfos);
    assert.equal(infos.status, 302);
    assert.equal(infos.location, loginLocation(W.sessionInfos));
    // /api is the REST layer's, as before.
    const anonymous = await api.call("GET", "/api/auth");
    assert.equal(anonymous.status, 403);
    assert.equal(anonymous.body.errorCode, "PERMISSION_DENIED");
    const unknown = await api.call("GET", "/api/nothing-here");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errorCode, "NOT_FOUND");
  });

  it("shows a login form with Keycloak's field ids", async () => {
    const r = await browser.get(loginLocation("/"));
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^text\/html/);
    for (const id of [W.fields.form, W.fields.username, W.fields.password, W.fields.submit])
      assert.match(r.text, new RegExp(`id="${id}"`), id);
    assert.match(r.text, /name="username"/);
    assert.match(r.text, /name="password"/);
    assert.match(r.text, /method="post"/);
    assert.doesNotMatch(r.text, new RegExp(`id="${W.fields.error}"`));
  });

  it("answers a wrong password with the form and a visible error, and sets no cookie", async () => {
    for (const [username, password] of [
      [alice.login, "wrong"],
      [carolSso.login, "carol"], // not her identity provider's password
      [carolSso.login, ""],
      ["nobody@bluemind.test", "x"],
      [carol.login, carol.password], // expired BlueMind password
    ] as const) {
      const r = await browser.post(W.loginPage, { username, password });
      assert.equal(r.status, 200, username);
      assert.match(r.text, new RegExp(`id="${W.fields.error}"`), username);
      assert.match(r.text, /Invalid username or password\.|Your password has expired\./);
      assert.deepEqual(r.cookies, [], username);
      assert.match(r.text, new RegExp(`value="${username.replace(/\./g, "\\.")}"`), "the username is kept");
    }
    assert.equal(bm.server.state.sessions.size, 0);
  });

  it("sets the OpenIdSession cookie holding an ordinary core session, then goes back", async () => {
    const r = await browser.post(W.loginPage, { username: alice.login, password: alice.password });
    assert.equal(r.status, 302);
    assert.equal(r.location, "/");
    assert.equal(r.cookies.length, 1);
    const [pair, ...attributes] = r.cookies[0]!.split(";").map((s) => s.trim());
    assert.ok(pair!.startsWith(`${W.cookie}=`));
    assert.doesNotMatch(pair!.slice(W.cookie.length + 1), /[",;\s{}]/, "the JSON is URL-encoded");
    assert.deepEqual(attributes.sort(), ["HttpOnly", "Path=/", "SameSite=Lax"]);
    const json = cookieJson(pair!);
    assert.deepEqual(Object.keys(json).sort(), ["domain_uid", "sid"]);
    assert.equal(json.domain_uid, "bluemind.test");
    const me = await api.call("GET", "/api/auth", undefined, json.sid);
    assert.equal(me.status, 200);
    assert.equal(me.body.uid, alice.uid);

    // The single-sign-on user with her identity provider's password; askedUri is honoured.
    const sso = await browser.post(`${W.loginPage}?askedUri=${encodeURIComponent("/session-infos")}`, {
      username: carolSso.login,
      password: carolSso.idpPassword,
    });
    assert.equal(sso.status, 302);
    assert.equal(sso.location, "/session-infos");
    assert.equal(cookieJson(sso.cookies[0]!.split(";")[0]!).domain_uid, "sso.test");
    // Never back to another origin.
    const evil = await browser.post(`${W.loginPage}?askedUri=${encodeURIComponent("//evil.example/")}`, {
      username: alice.login,
      password: alice.password,
    });
    assert.equal(evil.location, "/");
  });

  it("serves the web app page with a session, and skips the form when already logged in", async () => {
    const cookie = await browser.login(carolSso.login, carolSso.idpPassword);
    const page = await browser.get("/", cookie);
    assert.equal(page.status, 200);
    assert.match(page.contentType, /^text\/html/);
    assert.match(page.text, /<title>BlueMind<\/title>/);
    assert.ok(page.text.includes("Carol Lefèvre"));
    const again = await browser.get(loginLocation("/cal/"), cookie);
    assert.equal(again.status, 302);
    assert.equal(again.location, "/cal/");
  });

  it("answers /session-infos with the session's JSON", async () => {
    const cookie = await browser.login(carolSso.login, carolSso.idpPassword);
    const r = await browser.get(W.sessionInfos, cookie);
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^application\/json/);
    const infos = JSON.parse(r.text) as Record<string, string>;
    assert.equal(infos.sid, cookieJson(cookie).sid);
    assert.equal(infos.userId, carolSso.uid);
    assert.equal(infos.domain, "sso.test");
    assert.equal(infos.login, "carol");
    assert.equal(infos.formatedName, "Carol Lefèvre");
    assert.equal(infos.defaultEmail, "carol@sso.test");
    assert.ok(infos.roles!.split(",").includes("hasCalendar"));
    for (const [k, v] of Object.entries(infos)) assert.equal(typeof v, "string", k);
    // The sid is a core session: it makes an API key.
    const key = await api.call("PUT", "/api/auth/keys?displayName=Thunderbird", undefined, infos.sid);
    assert.equal(key.status, 200);
    assert.equal(key.body.domainUid, "sso.test");
  });

  it("/bluemind_sso_logout ends the core session, clears the cookie and goes to the login page", async () => {
    const cookie = await browser.login(alice.login, alice.password);
    const { sid } = cookieJson(cookie);
    assert.equal((await api.call("GET", "/api/auth/ping", undefined, sid)).status, 200);
    const out = await browser.get(W.logout, cookie);
    assert.equal(out.status, 302);
    assert.ok(out.location!.startsWith(W.loginPage));
    assert.equal(out.cookies.length, 1);
    assert.match(out.cookies[0]!, new RegExp(`^${W.cookie}=;`));
    assert.match(out.cookies[0]!, /Max-Age=0/);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).status, 401);
    // A browser that kept the old cookie is logged out too.
    assert.equal((await browser.get("/", cookie)).status, 302);
    assert.equal((await browser.get(W.sessionInfos, cookie)).status, 302);
    // Without a session it still clears and redirects.
    assert.equal((await browser.get(W.logout)).status, 302);
  });

  it("counts an unknown, idle-expired or malformed session cookie as no session", async () => {
    const cookie = await browser.login(alice.login, alice.password);
    const unknown = `${W.cookie}=${encodeURIComponent(JSON.stringify({ sid: "not-a-session", domain_uid: "bluemind.test" }))}`;
    assert.equal((await browser.get("/", unknown)).status, 302);
    assert.equal((await browser.get("/", `${W.cookie}=%7Bnot-json`)).status, 302);
    assert.equal((await browser.get("/", "other=1")).status, 302);
    bm.server.state.sessionIdleMs = 1;
    await new Promise((r) => setTimeout(r, 20));
    const expired = await browser.get(W.sessionInfos, cookie);
    assert.equal(expired.status, 302);
    assert.equal(expired.location, loginLocation(W.sessionInfos));
    assert.equal((await api.call("GET", "/api/auth", undefined, cookieJson(cookie).sid)).status, 401);
  });
});
