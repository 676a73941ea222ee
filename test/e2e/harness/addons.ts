/**
 * Getting add-ons into and out of Thunderbird: an .xpi pre-placed in the profile (survives
 * restarts), a temporary install over Marionette, the uninstall and the calendar
 * provider-uninstall dialog it opens.
 */
import fs from "node:fs";
import path from "node:path";
import { ThunderbirdContexts } from "./contexts";
import { sleep } from "./wait";

/** An add-on to place into <profile>/extensions/<id>.xpi before launch (survives restarts). */
export interface PreinstalledAddon {
  id: string;
  xpi: string;
}

/** Copies an .xpi into <profile>/extensions/<id>.xpi (route for add-ons that must survive restarts). */
export function placeXpiInProfile(profileDir: string, addonId: string, xpiPath: string): string {
  const dir = path.join(profileDir, "extensions");
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${addonId}.xpi`);
  fs.copyFileSync(path.resolve(xpiPath), target);
  return target;
}

const PROVIDER_DIALOG_SCRIPT = `
const [unsubscribe, cancel] = args;
for (const win of Services.wm.getEnumerator(null)) {
  const doc = win.document;
  if (!doc || !String(doc.documentURI).includes("calendar-providerUninstall-dialog")) continue;
  if (doc.readyState !== "complete") return { pending: true };
  const items = [...doc.querySelectorAll("#calendar-list richlistitem")];
  const calendars = items.map((item) => {
    const label = item.querySelector(".calendar-name");
    return label ? label.value : item.getAttribute("calendar-id");
  });
  if (unsubscribe) for (const item of items) {
    const box = item.querySelector(".calendar-selected");
    if (box) box.checked = true;
  }
  const dialog = doc.querySelector("dialog");
  if (cancel) dialog.cancelDialog(); else dialog.acceptDialog();
  return { calendars };
}
return null;
`;

export interface ProviderDialogOptions {
  timeoutMs?: number;
  /** Tick every calendar's checkbox first, so accepting also unsubscribes them. Default false. */
  unsubscribe?: boolean;
  /** Cancel instead of accepting (the uninstall/disable is then reverted by Thunderbird). */
  cancel?: boolean;
}

export class ThunderbirdAddons extends ThunderbirdContexts {
  // ---------------------------------------------------------------- add-ons

  /** Installs an unpacked add-on directory or an .xpi (temporary by default). Returns the add-on id. */
  async installAddon(pathOrXpi: string, opts: { temporary?: boolean } = {}): Promise<string> {
    return this.marionette.installAddon(path.resolve(pathOrXpi), opts.temporary ?? true);
  }

  /**
   * Addon:Uninstall. If the add-on registered calendars, Thunderbird opens the modal provider-uninstall
   * dialog and this promise only settles once it is closed: start it without awaiting, then call
   * acceptProviderUninstallDialog(), then await it.
   */
  async uninstallAddon(addonId: string): Promise<void> {
    await this.marionette.uninstallAddon(addonId);
  }

  /**
   * Accepts (or cancels) Thunderbird's modal "calendar-providerUninstall-dialog", opened when an add-on
   * that provides calendars is disabled or uninstalled. Polls until it appears. Returns the names of the
   * calendars it listed.
   */
  async acceptProviderUninstallDialog(opts: ProviderDialogOptions = {}): Promise<{ calendars: string[] }> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const r = await this.chrome<{ calendars?: string[]; pending?: boolean } | null>(
        PROVIDER_DIALOG_SCRIPT,
        !!opts.unsubscribe,
        !!opts.cancel,
      );
      if (r && r.calendars) return { calendars: r.calendars };
      if (Date.now() > deadline) throw new Error("calendar-providerUninstall-dialog did not appear");
      await sleep(100);
    }
  }
}
