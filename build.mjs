// Builds the add-on: bundles the background and options page with esbuild into dist/addon/,
// copies the manifest, locales, options page assets and the experiment, then packs an
// installable .xpi into dist/ with web-ext.
import { build } from "esbuild";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import webExt from "web-ext";

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, "dist");
const addon = path.join(dist, "addon");

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(addon, "options"), { recursive: true });

await build({
  entryPoints: {
    background: path.join(root, "src/background/background.ts"),
    "options/options": path.join(root, "src/options/options.ts"),
    "storage-rows-worker": path.join(root, "src/thunderbird/storage-rows-worker.ts"),
  },
  outdir: addon,
  bundle: true,
  format: "iife",
  target: "firefox128",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});

await cp(path.join(root, "manifest.json"), path.join(addon, "manifest.json"));
await cp(path.join(root, "_locales"), path.join(addon, "_locales"), { recursive: true });
await cp(path.join(root, "icons"), path.join(addon, "icons"), { recursive: true });
await cp(path.join(root, "src/experiments"), path.join(addon, "experiments"), { recursive: true });
// For the experiment, scripts parent.js loads with loadSubScript into provider.js's scope: the
// cache's rules (src/sync/cache-plan.ts, global BmCachePlan) and the parse in pieces
// (src/sync/ics-blocks.ts, global BmIcsBlocks) and the wall-clock expansion of a rule
// (src/sync/rule-dates.ts, global BmRuleDates).
for (const [file, globalName] of [
  ["cache-plan", "BmCachePlan"],
  ["ics-blocks", "BmIcsBlocks"],
  ["rule-dates", "BmRuleDates"],
]) {
  await build({
    entryPoints: [path.join(root, `src/sync/${file}.ts`)],
    outfile: path.join(addon, `experiments/bmcal/${file}.js`),
    bundle: true,
    format: "iife",
    globalName,
    target: "firefox128",
    legalComments: "none",
    logLevel: "warning",
  });
}
for (const file of ["options.html", "options.css"]) {
  await cp(path.join(root, "src/options", file), path.join(addon, "options", file));
}

const manifest = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8"));
const filename = `bluemind-calendar-sync-${manifest.version}.xpi`;
await webExt.cmd.build(
  { sourceDir: addon, artifactsDir: dist, filename, overwriteDest: true, ignoreFiles: ["**/*.map"] },
  { shouldExitProgram: false, showReadyMessage: false },
);
console.log(`built ${path.relative(root, addon)}/ and ${path.relative(root, path.join(dist, filename))}`);
