/**
 * Plain text <-> HTML for descriptions. BlueMind stores descriptions as HTML (its web app renders
 * them as such), so plain text read from iCalendar is turned into HTML the way BlueMind's own import
 * does it (Linkify.toHtml: line breaks become <br>, URLs and mail addresses become links), and HTML
 * is rendered as text for DESCRIPTION keeping every link target, so no URL is lost on either side.
 */

/** Elements that make a string HTML; `<https://…>`, `<mailto:…>` or `<<file.pdf>>` are not among them. */
const HTML_TAG =
  /<\/?(?:a|abbr|b|big|blockquote|body|br|center|cite|code|col|colgroup|dd|del|div|dl|dt|em|font|h[1-6]|head|hr|html|i|img|ins|li|meta|o:p|ol|p|pre|q|s|small|span|strike|strong|style|sub|sup|table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul)(?=[\s>/])|<!--|<!doctype\s/i;
const HTML_ENTITY =
  /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|amp|lt|gt|quot|apos|nbsp|copy|reg|trade|euro|hellip|laquo|raquo|ndash|mdash|lsquo|rsquo|ldquo|rdquo|bull|middot|deg|[aeiouyc](?:acute|grave|circ|uml|cedil)|szlig|ntilde);/i;

/** True when a BlueMind description holds markup (a known HTML element or entity). */
export function looksLikeHtml(s: string): boolean {
  return HTML_TAG.test(s) || HTML_ENTITY.test(s);
}

/**
 * BlueMind's import test for a DESCRIPTION that is already HTML (Linkify.toHtml returns such a text
 * unchanged): it contains "</div>" or "</table>". Any other DESCRIPTION is plain text.
 */
export function isBlueMindHtml(text: string): boolean {
  return text.includes("</div>") || text.includes("</table>");
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  bull: "•",
  middot: "·",
  deg: "°",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  agrave: "à",
  acirc: "â",
  ccedil: "ç",
  ocirc: "ô",
  ucirc: "û",
  ugrave: "ù",
  icirc: "î",
  iuml: "ï",
  euml: "ë",
  uuml: "ü",
  ouml: "ö",
  auml: "ä",
  szlig: "ß",
  aacute: "á",
  iacute: "í",
  oacute: "ó",
  uacute: "ú",
  ntilde: "ñ",
};

/** Decodes entities; a non-breaking space becomes a plain space (what DESCRIPTION readers expect). */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (code === 0xa0) return " ";
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return NAMED[e] ?? NAMED[e.toLowerCase()] ?? all;
  });
}

function hrefOf(attrs: string): string | null {
  const m = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
  const v = m ? (m[1] ?? m[2] ?? m[3] ?? "") : "";
  return v ? decodeEntities(v).trim() : null;
}

/** A link whose text already is its target (or the target minus mailto:/http://) needs no annotation. */
function showsTarget(href: string, label: string): boolean {
  const h = href.replace(/\/$/, "");
  const l = label.replace(/\/$/, "");
  return h === l || h === `mailto:${l}` || h === `http://${l}` || h === `https://${l}` || h === `tel:${l.replace(/[\s.()-]/g, "")}`;
}

const BR = "\u0001";
const BLOCK = "\u0002";
const LT = "\u0003";
const GT = "\u0004";

/**
 * HTML rendered as plain text, as a browser lays it out: whitespace collapses, <br> and block ends
 * become line breaks, and a link keeps its target as `text <url>` (Outlook's plain-text form) unless
 * the text is the target itself.
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<![^>]*>/g, "")
    .replace(/[ \t\r\n\f]+/g, " ");
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_all, attrs: string, inner: string) => {
    const href = hrefOf(attrs);
    const label = decodeEntities(inner.replace(/<[^>]*>/g, "")).trim();
    if (!href || href.startsWith("#") || showsTarget(href, label)) return inner;
    return `${inner}${label ? " " : ""}${LT}${href.replace(/[<>]/g, "")}${GT}`;
  });
  s = s
    .replace(/<br\b[^>]*>/gi, BR)
    .replace(/<\/?(?:p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol|dl|dt|dd|hr|center)\b[^>]*>/gi, BLOCK)
    .replace(/<[^>]*>/g, "");
  // A run of breaks and block edges: one line per <br>, at least one line for a block edge.
  // eslint-disable-next-line no-control-regex -- \u0001 and \u0002 are the BR and BLOCK markers put in above
  s = s.replace(/[ \u0001\u0002]*[\u0001\u0002][ \u0001\u0002]*/g, (run, offset: number) => {
    const brs = run.split(BR).length - 1;
    const edge = offset === 0 || offset + run.length === s.length;
    const lines = run.includes(BLOCK) && !edge ? Math.max(brs, 1) : brs;
    return "\n".repeat(lines);
  });
  return decodeEntities(s).replaceAll(LT, "<").replaceAll(GT, ">").trim();
}

/** A URL, a mailto: or www. address, or a bare mail address, as BlueMind's Linkify finds them. */
const LINK =
  /\b(?:(?:https?|ftp|rtsp):\/\/|mailto:|www\.)[^\s<>"]+|[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi;

function trimLink(url: string): string {
  let u = url;
  for (;;) {
    const last = u[u.length - 1];
    if (last && ".,;:!?'\"".includes(last)) u = u.slice(0, -1);
    else if (last === ")" && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    else if (last === "]" && !u.includes("[")) u = u.slice(0, -1);
    else return u;
  }
}

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, "&quot;");

/** Spaces HTML would collapse (runs, line edges) and tabs, kept as entities. */
function keepSpaces(text: string, lineStart: boolean, lineEnd: boolean): string {
  let s = text.replace(/\t/g, "&#9;").replace(/ {2,}/g, (m) => "&nbsp;".repeat(m.length - 1) + " ");
  if (lineStart) s = s.replace(/^ /, "&nbsp;");
  if (lineEnd) s = s.replace(/ $/, "&nbsp;");
  return s;
}

function linkify(line: string): string {
  let out = "";
  let at = 0;
  for (const m of line.matchAll(LINK)) {
    const start = m.index ?? 0;
    const text = trimLink(m[0]);
    if (!text || (start > 0 && line[start - 1] === "@")) continue;
    const lower = text.toLowerCase();
    const href = lower.startsWith("www.") ? `http://${text}` : /^[a-z]+:/i.test(text) ? text : `mailto:${text}`;
    out += keepSpaces(escapeText(line.slice(at, start)), at === 0, false) + `<a href="${escapeAttr(href)}">${escapeText(text)}</a>`;
    at = start + text.length;
  }
  return out + keepSpaces(escapeText(line.slice(at)), at === 0, true);
}

/**
 * Plain text as the HTML BlueMind's import would store: escaped, line breaks as <br>, every URL and
 * mail address a link. Unlike BlueMind, blank lines, spacing and the `<…>` around a URL are kept, so
 * `htmlToText(textToHtml(t))` gives `t` back (up to leading and trailing white space).
 */
export function textToHtml(text: string): string {
  return text.replace(/\r\n?/g, "\n").split("\n").map(linkify).join("<br>");
}

/** White space of any kind (line wrapping included) does not make two texts different. */
function squash(s: string): string {
  return s.replace(/[\s\u00a0]+/g, " ").trim();
}

/**
 * Does `received` (a DESCRIPTION read back) say what `rendered` (htmlToText of an HTML description)
 * says? Line wrapping does not count, nor link targets missing from `received`: Thunderbird's own
 * plain-text rendering and this converter's earlier versions left them out.
 */
export function sameText(received: string, rendered: string): boolean {
  const r = squash(received);
  return r === squash(rendered) || r === squash(rendered.replace(/ ?<[a-z][a-z0-9+.-]*:[^<>\s]*>/gi, ""));
}
