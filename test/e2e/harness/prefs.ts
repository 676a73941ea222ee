/**
 * The preferences the harness writes into the profile's user.js: the ones every launch needs
 * (Marionette, unsigned experiments, no first-run noise) and how one pref line is written.
 */

export type PrefValue = string | number | boolean;

/** Prefs written to user.js on every launch (extra prefs from LaunchOptions.prefs override them). */
export const BASE_PREFS: Readonly<Record<string, PrefValue>> = {
  // Free port, written to <profile>/MarionetteActivePort (parallel-safe).
  "marionette.port": 0,
  "xpinstall.signatures.required": false,
  "extensions.experiments.enabled": true,
  // Needed for add-ons pre-placed in <profile>/extensions (otherwise they stay userDisabled).
  "extensions.autoDisableScopes": 0,
  "extensions.enabledScopes": 15,
  // First-run / telemetry / default-client noise.
  "mail.provider.suppress_dialog_on_startup": true,
  "mailnews.start_page.enabled": false,
  "mail.shell.checkDefaultClient": false,
  "mail.spotlight.firstRunDone": true,
  "mail.winsearch.firstRunDone": true,
  "mail.rights.override": true, // no "Know your rights" notification bar
  "mail.inappnotifications.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.reportingpolicy.firstRun": false,
  "app.update.disabledForTesting": true,
  "browser.shell.checkDefaultBrowser": false,
  // Add-on console.log and dump() lines end up in the Thunderbird log file.
  "devtools.console.stdout.chrome": true,
  "browser.dom.window.dump.enabled": true,
};

export function formatPref(name: string, value: PrefValue): string {
  return `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`;
}
