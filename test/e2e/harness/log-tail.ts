/**
 * Reading the end of Thunderbird's log file (its stdout and stderr) without the headless GTK
 * noise: what a failed launch or a failed test prints.
 */
import fs from "node:fs";

/** Headless-mode noise that would otherwise fill every log tail (see README, pitfalls). */
const LOG_NOISE = /Gtk-CRITICAL|Gtk-WARNING|gtk_icon_theme_|GDK_IS_SCREEN|^\s*$/;

export function tailOf(file: string, lines: number, raw = false): string {
  try {
    const all = fs.readFileSync(file, "utf8").split("\n");
    return (raw ? all : all.filter((l) => !LOG_NOISE.test(l))).slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
