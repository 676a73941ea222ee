/**
 * What an administrator presets through Thunderbird's enterprise policies: policies.json's
 * `3rdparty.Extensions["calendar-sync@bluemind-thunderbird"]` reaches the add-on as
 * storage.managed (managed-schema.json lists the settings). Today that is the BlueMind server
 * address, locked by default, as BlueMind's repacked connector does. Invalid settings are
 * ignored with a warning in the Error Console, as Thunderbird does with its own policies.
 */

import { BlueMindError } from "../bluemind/errors";
import { normalizeServerUrl } from "../bluemind/server-url";

/** The administrator's server address, normalized to an origin. */
export interface ServerPolicy {
  serverUrl: string;
  /** The user cannot sign in to another server (default when serverUrl is set). */
  locked: boolean;
}

export interface ParsedManagedSettings {
  serverPolicy: ServerPolicy | null;
  /** Why some settings were ignored, for the administrator (logged, never shown to the user). */
  problems: string[];
}

const KNOWN_SETTINGS = new Set(["serverUrl", "lockServerUrl"]);

/** Validates the managed storage object; never throws. */
export function parseManagedSettings(managed: Record<string, unknown>): ParsedManagedSettings {
  const problems: string[] = [];
  for (const key of Object.keys(managed)) {
    if (!KNOWN_SETTINGS.has(key)) {
      problems.push(`unknown setting "${key}" ignored (known: ${[...KNOWN_SETTINGS].join(", ")})`);
    }
  }
  const { serverUrl, lockServerUrl } = managed;
  let locked = true;
  if (lockServerUrl !== undefined) {
    if (typeof lockServerUrl === "boolean") {
      locked = lockServerUrl;
    } else {
      problems.push(`lockServerUrl must be true or false, not ${JSON.stringify(lockServerUrl)}: the address stays locked`);
    }
  }
  if (serverUrl === undefined) {
    if (lockServerUrl !== undefined) {
      problems.push("lockServerUrl ignored: no serverUrl is set");
    }
    return { serverPolicy: null, problems };
  }
  if (typeof serverUrl !== "string") {
    problems.push(`serverUrl must be a string, not ${JSON.stringify(serverUrl)}: ignored`);
    return { serverPolicy: null, problems };
  }
  try {
    return { serverPolicy: { serverUrl: normalizeServerUrl(serverUrl), locked }, problems };
  } catch (error) {
    problems.push(`serverUrl ${JSON.stringify(serverUrl)} ignored: ${error instanceof Error ? error.message : String(error)}`);
    return { serverPolicy: null, problems };
  }
}

/** The slice of storage.managed read here; injectable for tests. */
export interface ManagedStorage {
  get(): Promise<Record<string, unknown>>;
}

/**
 * Reads the server policy. storage.managed.get rejects when no policy names this add-on (the
 * usual case): that means no policy.
 */
export async function readServerPolicy(managed: ManagedStorage, warn: (message: string) => void): Promise<ServerPolicy | null> {
  let settings: Record<string, unknown>;
  try {
    settings = await managed.get();
  } catch {
    return null;
  }
  const parsed = parseManagedSettings(settings);
  for (const problem of parsed.problems) {
    warn(`enterprise policy: ${problem}`);
  }
  return parsed.serverPolicy;
}

/** Throws serverLocked when the administrator locked the address to another origin. */
export function checkServerAllowed(origin: string, policy: ServerPolicy | null): void {
  if (policy?.locked && origin !== policy.serverUrl) {
    throw new BlueMindError("serverLocked", `the administrator allows only ${policy.serverUrl}, not ${origin}`);
  }
}
