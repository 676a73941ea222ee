/**
 * BlueMind descriptions are often HTML; iCalendar's DESCRIPTION is plain text. We write the text
 * in DESCRIPTION, the HTML both as Thunderbird's ALTREP data: URL (what it shows and edits) and
 * as X-ALT-DESC (what BlueMind and Outlook read), and read back whichever is still current.
 */
import ICAL from "ical.js";

const ALTREP_PREFIX = "data:text/html,";
export const X_ALT_DESC = "x-alt-desc";

/** Heuristic: markup (a tag) or an entity means the text is HTML. */
export function looksLikeHtml(s: string): boolean {
  return /<\/?[a-zA-Z][^<>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/.test(s);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** A plain-text rendering of HTML for DESCRIPTION (block ends become newlines). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|pre)\s*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[e.toLowerCase()] ?? all;
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function writeDescription(comp: ICAL.Component, description: string): void {
  if (!looksLikeHtml(description)) {
    comp.addPropertyWithValue("description", description);
    return;
  }
  const prop = comp.addPropertyWithValue("description", htmlToText(description));
  prop.setParameter("altrep", ALTREP_PREFIX + encodeURIComponent(description));
  const alt = comp.addPropertyWithValue(X_ALT_DESC, description);
  alt.setParameter("fmttype", "text/html");
}

/**
 * ALTREP first (Thunderbird rewrites or drops it whenever the description is edited), then
 * X-ALT-DESC if its text still matches DESCRIPTION (Thunderbird keeps it untouched, so it is
 * stale once the user edits the text), then the plain text.
 */
export function readDescription(comp: ICAL.Component): string | null {
  const prop = comp.getFirstProperty("description");
  const text = prop ? String(prop.getFirstValue() ?? "") : null;
  const altrep = prop?.getFirstParameter("altrep");
  if (typeof altrep === "string" && altrep.toLowerCase().startsWith(ALTREP_PREFIX)) {
    try {
      return decodeURIComponent(altrep.slice(ALTREP_PREFIX.length));
    } catch {
      // malformed escape: fall through to the text
    }
  }
  const alt = comp.getFirstProperty(X_ALT_DESC);
  if (alt) {
    const fmt = alt.getFirstParameter("fmttype");
    const html = alt.getFirstValue();
    if (typeof html === "string" && (!fmt || fmt.toLowerCase() === "text/html")) {
      if (text === null || htmlToText(html) === htmlToText(text)) return html;
    }
  }
  return text;
}
