/**
 * The start most end-to-end files share: the built add-on, the reference server (the demo
 * directory, or `state`) with Alice's Archives online-only, and a fresh Thunderbird with the
 * add-on installed and signed in from the options page.
 */
import { startServer, type RunningServer } from "../../../server/app";
import type { ServerState } from "../../../server/store";
import { launchThunderbird, type Thunderbird } from "../harness/thunderbird";
import { archivesOnlineOnly, assertBuilt, signInFromOptionsPage, XPI } from "./addon";

/** If a step fails, stops what it had started (Thunderbird, then the server) before throwing. */
export async function startSignedIn(
  user: { login: string; password: string },
  state?: ServerState,
): Promise<{ server: RunningServer; tb: Thunderbird }> {
  assertBuilt();
  const server = await startServer({ port: 0, state });
  let tb: Thunderbird | undefined;
  try {
    archivesOnlineOnly(server);
    tb = await launchThunderbird();
    await tb.installAddon(XPI, { temporary: false });
    await signInFromOptionsPage(tb, server.url, user.login, user.password);
    return { server, tb };
  } catch (error) {
    await tb?.quit();
    await server.close();
    throw error;
  }
}
