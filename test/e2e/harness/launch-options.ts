/**
 * What a launch can be told (binary, profile, prefs, pre-placed add-ons, timeouts, whether to keep
 * its files) and the timings it reports back.
 */
import type { PreinstalledAddon } from "./addons";
import type { PrefValue } from "./prefs";

export const DEFAULT_THUNDERBIRD_BINARY = "/usr/lib/thunderbird/thunderbird";

export interface LaunchOptions {
  /** Reuse this profile directory (restart tests). Default: a fresh one inside the temp dir. */
  profileDir?: string;
  /**
   * Directory holding HOME, XDG_CACHE_HOME, the log file and (by default) the profile. Default: a new
   * mkdtemp under os.tmpdir(); it is deleted by quit() unless keepFiles / $TB_E2E_KEEP is set.
   */
  tmpDir?: string;
  /** Default true. false: a visible window (needs $DISPLAY/$WAYLAND_DISPLAY). */
  headless?: boolean;
  /** Extra prefs for user.js. */
  prefs?: Record<string, PrefValue>;
  /** .xpi files copied to <profile>/extensions/<id>.xpi before launch. */
  extensions?: PreinstalledAddon[];
  /** Default $THUNDERBIRD_BINARY or /usr/lib/thunderbird/thunderbird. */
  binary?: string;
  /** Extra environment for Thunderbird. */
  env?: Record<string, string>;
  /** Extra command-line arguments. */
  args?: string[];
  /** Spawn → 3-pane ready budget. Default 60 s. */
  startupTimeoutMs?: number;
  /** Marionette implicit wait for findElement. Default 5000 ms. */
  implicitTimeoutMs?: number;
  /** Keep the temp dir after quit() (also: env TB_E2E_KEEP=1). */
  keepFiles?: boolean;
}

export interface Timings {
  /** spawn → MarionetteActivePort present */
  portMs: number;
  /** spawn → mail:3pane window complete (the launch duration) */
  readyMs: number;
}

export function keepFiles(opts: LaunchOptions): boolean {
  return !!opts.keepFiles || !!process.env.TB_E2E_KEEP;
}
