/**
 * IInstallation endpoints a client uses to recognise a BlueMind server before logging in
 * (the official TB connector checks `state` first and uses `_infos.defaultDomain` to
 * complete a login without "@"). Both answer anonymous callers.
 */
import type { Router } from "./http";

export const SOFTWARE_VERSION = "5.0.0";
export const RELEASE_NAME = "BlueMind reference server";

export function registerSystem(r: Router): void {
  r.get("/api/system/installation/state", () => "CORE_STATE_RUNNING");
  r.get("/api/system/installation/_infos", (ctx) => ({
    defaultDomain: ctx.state.domainUid,
    softwareVersion: SOFTWARE_VERSION,
    releaseName: RELEASE_NAME,
  }));
}
