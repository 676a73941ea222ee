/**
 * The data path reads BlueMind client → sync → Thunderbird adapter → experiment, with the
 * background and the options page composing them. A lower layer never imports an upper one,
 * so each can be changed (and unit-tested) without the layers above it.
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SRC = path.resolve(import.meta.dirname, "../../src");

/** Folder -> the src folders it must not import. */
const FORBIDDEN: Record<string, string[]> = {
  bluemind: ["sync", "thunderbird", "background", "options"],
  convert: ["sync", "thunderbird", "background", "options"],
  sync: ["thunderbird", "background", "options"],
};

function importsOf(folder: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const name of readdirSync(path.join(SRC, folder), { recursive: true }) as string[]) {
    if (!name.endsWith(".ts")) continue;
    const file = path.join(SRC, folder, name);
    for (const match of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!));
      found.push({ file: path.relative(SRC, file), target });
    }
  }
  return found;
}

describe("layers along the data path", () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${folder} imports nothing from ${forbidden.map((f) => `src/${f}`).join(", ")}`, () => {
      const imports = importsOf(folder);
      assert.ok(imports.length > 0, `src/${folder} has imports to check`);
      const upward = imports.filter(({ target }) => forbidden.includes(target.split(path.sep)[0]!));
      assert.deepEqual(upward, []);
    });
  }
});
