/**
 * The installable .xpi as users get it: built by `npm run build` (npm test builds before the
 * unit tests), it carries the add-on's code and no source map (they would ship our sources).
 */

import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}manifest.json`, "utf8")) as { version: string };
const xpi = `${root}dist/bluemind-calendar-sync-${manifest.version}.xpi`;

describe("the packaged .xpi", () => {
  it("holds the add-on's code and no source map", () => {
    assert.ok(existsSync(xpi), `${xpi} is missing: run \`npm run build\` first (npm test does)`);
    // Zip entries keep their names in clear in the archive's directory.
    const bytes = readFileSync(xpi).toString("latin1");
    for (const file of ["manifest.json", "background.js", "options/options.js", "experiments/bmcal/provider.js"]) {
      assert.ok(bytes.includes(file), `${file} is in the .xpi`);
    }
    assert.equal(/[\w/-]+\.map\b/.exec(bytes)?.[0] ?? null, null, "no source map");
  });
});
