/**
 * The window of "Sign in with your browser": BlueMind's login page in a Thunderbird popup
 * window (an ordinary content window, sharing the cookie jar with this add-on's background
 * page, so the background can read the session the page opens). The user can close it; the
 * handle says so.
 */

import type { LoginWindowHandle } from "../background/browser-sign-in";

const WIDTH = 520;
const HEIGHT = 720;

export async function openLoginWindow(url: string): Promise<LoginWindowHandle> {
  const created = await messenger.windows.create({ url, type: "popup", width: WIDTH, height: HEIGHT, allowScriptsToClose: true });
  const windowId = created.id;
  let gone = false;
  const closed = new Promise<void>((resolve) => {
    const listener = (removedId: number): void => {
      if (removedId === windowId) {
        gone = true;
        messenger.windows.onRemoved.removeListener(listener);
        resolve();
      }
    };
    messenger.windows.onRemoved.addListener(listener);
  });
  return {
    closed,
    close: async () => {
      if (!gone && windowId !== undefined) {
        await messenger.windows.remove(windowId).catch(() => undefined);
      }
    },
  };
}
