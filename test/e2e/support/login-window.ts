/**
 * The window "Sign in with your browser" opens: a Thunderbird popup window (extensionPopup.xhtml)
 * whose <browser> shows BlueMind's login page. Marionette does not see it as a tab, so the test
 * attaches its content context to that browser's browsing context, as it does for add-on pages.
 */

import type { Thunderbird } from "../harness/thunderbird";
import { waitFor } from "./addon";

const FIND_POPUP_BROWSER = `
const [urlPrefix] = args;
for (const win of Services.wm.getEnumerator(null)) {
  if (!String(win.document?.documentURI).includes("extensionPopup")) continue;
  for (const browser of win.document.querySelectorAll("browser")) {
    const spec = browser.currentURI?.spec ?? "";
    const bc = browser.browsingContext;
    if (spec.startsWith(urlPrefix) && bc && !bc.isDiscarded && !(browser.webProgress && browser.webProgress.isLoadingDocument)) {
      return { id: bc.id, url: spec, title: win.document.title };
    }
  }
}
return null;
`;

const COUNT_POPUPS = `
let n = 0;
for (const win of Services.wm.getEnumerator(null)) {
  if (String(win.document?.documentURI).includes("extensionPopup") && !win.closed) n++;
}
return n;
`;

const CLOSE_POPUPS = `
for (const win of Services.wm.getEnumerator(null)) {
  if (String(win.document?.documentURI).includes("extensionPopup")) win.close();
}
return true;
`;

/** Waits for the login window to show a page under urlPrefix, then attaches Marionette's content context to it. */
export async function attachToLoginWindow(tb: Thunderbird, urlPrefix: string): Promise<string> {
  const found = await waitFor(
    `a login window showing ${urlPrefix}`,
    () => tb.chrome<{ id: number; url: string } | null>(FIND_POPUP_BROWSER, urlPrefix),
    (value) => value !== null,
  );
  await tb.contentBrowsingContext(found!.id);
  await tb.marionette.setContext("content");
  return found!.url;
}

export function openLoginWindows(tb: Thunderbird): Promise<number> {
  return tb.chrome<number>(COUNT_POPUPS);
}

/** The user closes the login window (its close button). */
export async function closeLoginWindows(tb: Thunderbird): Promise<void> {
  await tb.chrome(CLOSE_POPUPS);
}
