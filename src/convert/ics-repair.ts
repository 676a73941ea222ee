/**
 * Tolerant reading of damaged iCalendar text, for when ical.js refuses a whole file: lines folded
 * with a non-breaking space instead of a space (text that went through an HTML mail), lines that
 * are no property (a producer that forgot to fold), blank lines, stray or missing END lines. What
 * still fails is isolated: the text is split into its components so that one broken VEVENT can be
 * skipped without losing the others (BlueMind's import also parses each VEVENT on its own).
 */

const PROPERTY = /^[A-Za-z0-9-]+(?:;[^\r\n]*?)?:/;
const BEGIN_END = /^(BEGIN|END):([A-Za-z0-9-]+)\s*$/i;

/** Unfolded lines: CRLF/LF/CR line ends, a leading space, tab or non-breaking space continues a line. */
function unfold(text: string): string[] {
  const out: string[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)) {
    if (/^[ \t\u00a0]/.test(line) && out.length) out[out.length - 1] += line.slice(1);
    else if (line.trim() !== "") out.push(line);
  }
  return out;
}

/**
 * Logical lines with the damage repaired: a line that is not a property continues the previous
 * property's text (as an escaped line break), END lines are matched with their BEGIN (missing ones
 * added, stray ones dropped), and a component begun again inside itself closes the open one first.
 */
export function repairLines(text: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  const close = (name: string): void => {
    while (stack.length) {
      const top = stack.pop()!;
      out.push(`END:${top}`);
      if (top === name) return;
    }
  };
  for (const line of unfold(text)) {
    const be = BEGIN_END.exec(line);
    if (be) {
      const name = be[2]!.toUpperCase();
      if (be[1]!.toUpperCase() === "BEGIN") {
        if (stack.includes(name)) close(name);
        stack.push(name);
        out.push(`BEGIN:${name}`);
      } else if (stack.includes(name)) close(name);
      continue;
    }
    if (!stack.length) continue; // text outside any component
    if (PROPERTY.test(line)) out.push(line);
    else if (out.length && !BEGIN_END.test(out[out.length - 1]!)) out[out.length - 1] += `\\n${line}`;
  }
  while (stack.length) out.push(`END:${stack.pop()!}`);
  return out;
}

export function repairIcs(text: string): string {
  return repairLines(text).join("\r\n") + "\r\n";
}

/** A component found directly inside a VCALENDAR (or at top level), as text of its own. */
export interface IcsBlock {
  name: string;
  lines: string[];
}

export interface IcsPieces {
  /** Properties of the VCALENDARs (X-WR-TIMEZONE, METHOD…). */
  calendarLines: string[];
  blocks: IcsBlock[];
}

/** Splits repaired text into its calendar properties and its top components (VEVENT, VTIMEZONE…). */
export function splitIcs(text: string): IcsPieces {
  const calendarLines: string[] = [];
  const blocks: IcsBlock[] = [];
  let depth = 0;
  let current: IcsBlock | null = null;
  let inCalendar = false;
  for (const line of repairLines(text)) {
    const be = BEGIN_END.exec(line);
    const begin = be && be[1]!.toUpperCase() === "BEGIN";
    const name = be ? be[2]!.toUpperCase() : "";
    if (depth === 0 && begin && name === "VCALENDAR") {
      inCalendar = true;
      depth = 1;
      continue;
    }
    if (be && !begin && name === "VCALENDAR" && depth === 1) {
      inCalendar = false;
      depth = 0;
      continue;
    }
    const top = inCalendar ? 1 : 0;
    if (depth === top && !be) {
      if (inCalendar) calendarLines.push(line);
      continue;
    }
    if (depth === top && begin) current = { name, lines: [] };
    current?.lines.push(line);
    depth += begin ? 1 : be ? -1 : 0;
    if (depth === top && current) {
      blocks.push(current);
      current = null;
    }
  }
  return { calendarLines, blocks };
}

/** The raw value of the first `name` property among lines, unescaped enough to name an event. */
export function lineValue(lines: string[], name: string): string | null {
  const re = new RegExp(`^${name}(?:;[^:]*)?:(.*)$`, "i");
  for (const l of lines) {
    const m = re.exec(l);
    if (m)
      return (
        m[1]!
          .replace(/\\([,;\\])/g, "$1")
          .replace(/\\n/gi, " ")
          .trim() || null
      );
  }
  return null;
}
