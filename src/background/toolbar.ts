/**
 * The toolbar button: "Synchroniser maintenant" in one click, and a badge that tells at a
 * glance what the add-on is doing: syncing (…), an error (!), or offline edits waiting to be
 * sent (their count). Pure mapping here; background.ts applies it with messenger.browserAction.
 */

import type { AccountView } from "./protocol";

export interface ToolbarState {
  badge: string;
  color: string;
  /** [message key, substitutions] of the button's tooltip. */
  title: [string, string[]];
}

export const BADGE_COLORS = { syncing: "#0F7EDB", error: "#C50042", pending: "#B25B00" } as const;

export function toolbarState(view: AccountView, pendingOfflineEdits: number, describeError: (kind: string) => string): ToolbarState {
  const syncing = view.status.busy || [...view.mine, ...view.others].some((row) => row.activity.syncing);
  if (syncing) {
    return { badge: "…", color: BADGE_COLORS.syncing, title: ["toolbarTitleSyncing", []] };
  }
  const error = view.signedIn ? view.status.lastError : null;
  if (error) {
    return { badge: "!", color: BADGE_COLORS.error, title: ["toolbarTitleError", [describeError(error.kind)]] };
  }
  if (pendingOfflineEdits > 0) {
    return {
      badge: String(pendingOfflineEdits),
      color: BADGE_COLORS.pending,
      title: ["toolbarTitlePending", [String(pendingOfflineEdits)]],
    };
  }
  return { badge: "", color: BADGE_COLORS.syncing, title: ["toolbarTitle", []] };
}
