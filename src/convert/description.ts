/**
 * BlueMind descriptions are HTML; iCalendar's DESCRIPTION is plain text. We write the text in
 * DESCRIPTION, the HTML both as Thunderbird's ALTREP data: URL (what it shows and edits) and as
 * X-ALT-DESC (what BlueMind and Outlook read), and read back whichever is current. Plain text read
 * from iCalendar is stored as BlueMind's import stores it: as HTML with its links (html-text.ts).
 */
import ICAL from "ical.js";
import { htmlToText, isBlueMindHtml, looksLikeHtml, sameText, textToHtml } from "./html-text";

export { htmlToText, looksLikeHtml } from "./html-text";

const ALTREP_PREFIX = "data:text/html,";
export const X_ALT_DESC = "x-alt-desc";

export function writeDescription(comp: ICAL.Component, description: string): void {
  if (!looksLikeHtml(description)) {
    // Plain text stored by some other client: Thunderbird shows it as is and links its URLs itself.
    comp.addPropertyWithValue("description", description);
    return;
  }
  const prop = comp.addPropertyWithValue("description", htmlToText(description));
  prop.setParameter("altrep", ALTREP_PREFIX + encodeURIComponent(description));
  const alt = comp.addPropertyWithValue(X_ALT_DESC, description);
  alt.setParameter("fmttype", "text/html");
}

export interface DescriptionContext {
  /**
   * The ICS is an edit of an event this converter wrote (there is a `base`): an X-ALT-DESC in it is
   * ours, and stale once Thunderbird changed the plain text without an ALTREP. Without a base the
   * X-ALT-DESC is the producer's own HTML, and BlueMind's import takes it as the description.
   */
  edit: boolean;
}

function altDesc(comp: ICAL.Component): string | null {
  const alt = comp.getFirstProperty(X_ALT_DESC);
  if (!alt) return null;
  const fmt = alt.getFirstParameter("fmttype");
  let html: unknown;
  try {
    html = alt.getFirstValue();
  } catch {
    return null;
  }
  return typeof html === "string" && html !== "" && (!fmt || fmt.toLowerCase() === "text/html") ? html : null;
}

/**
 * ALTREP first (Thunderbird rewrites it whenever the description is edited as HTML), then
 * X-ALT-DESC;FMTTYPE=text/html (as BlueMind's import; on an edit only while DESCRIPTION still says
 * what it says), then DESCRIPTION: HTML if BlueMind would take it for HTML, else plain text made HTML.
 */
export function readDescription(comp: ICAL.Component, ctx: DescriptionContext): string | null {
  const prop = comp.getFirstProperty("description");
  let text: string | null = null;
  if (prop) {
    try {
      const v = prop.getFirstValue();
      text = v == null ? "" : String(v);
    } catch {
      text = "";
    }
  }
  const altrep = prop?.getFirstParameter("altrep");
  if (typeof altrep === "string" && altrep.toLowerCase().startsWith(ALTREP_PREFIX)) {
    try {
      return decodeURIComponent(altrep.slice(ALTREP_PREFIX.length));
    } catch {
      // malformed escape: fall through
    }
  }
  const html = altDesc(comp);
  if (html !== null && (!ctx.edit || !text || sameText(text, htmlToText(html)))) return html;
  if (text === null) return null;
  return isBlueMindHtml(text) ? text : textToHtml(text);
}

/** The text a description says, whether it is stored as HTML or as plain text. */
export function descriptionText(d: string): string {
  return looksLikeHtml(d) ? htmlToText(d) : d.replace(/\r\n?/g, "\n").trim();
}
