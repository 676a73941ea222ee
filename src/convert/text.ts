/**
 * iCalendar TEXT values may not hold control characters other than TAB (RFC 5545 §3.3.11),
 * and ical.js escapes LF but writes CR raw. BlueMind text (often from Outlook) has CRLF, so
 * line ends are written as LF and other controls are dropped.
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function cleanText(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(CONTROLS, "");
}
