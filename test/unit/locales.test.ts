import { strict as assert } from "node:assert";
import { readFileSync, readdirSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const read = (relative: string): string => readFileSync(new URL(relative, root), "utf8");
const messages = (lang: string): Record<string, { message: string; placeholders?: Record<string, unknown> }> =>
  JSON.parse(read(`_locales/${lang}/messages.json`));

const ERROR_KINDS = [
  "invalidUrl",
  "insecureUrl",
  "badCredentials",
  "passwordExpired",
  "unreachable",
  "tls",
  "timeout",
  "notBlueMind",
  "keyRevoked",
  "permissionDenied",
  "notFound",
  "pendingEdits",
  "unavailable",
  "malformed",
  "refused",
  "server",
  "serverLocked",
  "apiKeyMalformed",
  "apiKeyUnknown",
  "noCalendarRole",
  "loginWindowClosed",
  "loginTimedOut",
  "unexpected",
];

describe("locales", () => {
  const languages = readdirSync(new URL("_locales/", root));
  const english = messages("en");

  it("ships English, French and German", () => {
    assert.deepEqual([...languages].sort(), ["de", "en", "fr"]);
  });

  for (const lang of languages) {
    it(`${lang} has exactly the same keys and placeholders as en, none empty`, () => {
      const current = messages(lang);
      assert.deepEqual(Object.keys(current).sort(), Object.keys(english).sort());
      for (const [key, entry] of Object.entries(current)) {
        assert.notEqual(entry.message.trim(), "", `${lang}:${key} is empty`);
        assert.deepEqual(
          Object.keys(entry.placeholders ?? {}).sort(),
          Object.keys(english[key]?.placeholders ?? {}).sort(),
          `${lang}:${key}`,
        );
      }
    });
  }

  it("has a message for every error the user can meet", () => {
    for (const kind of ERROR_KINDS) {
      assert.ok(english[`error_${kind}`], `error_${kind}`);
    }
  });

  it("has every key the options page and manifest use, and no unused key", () => {
    const files = [
      "manifest.json",
      ...["src/options/", "src/background/"].flatMap((dir) => readdirSync(new URL(dir, root)).map((name) => dir + name)),
    ];
    const sources = files.map(read).join("\n");
    const used = new Set<string>();
    for (const match of sources.matchAll(/data-i18n="([A-Za-z_]+)"|\bt\("([A-Za-z_]+)"|getMessage\("([A-Za-z_]+)"|__MSG_([A-Za-z_]+)__/g)) {
      used.add(match[1] ?? match[2] ?? match[3] ?? match[4] ?? "");
    }
    // Keys passed around as [key, substitutions] (the toolbar tooltip).
    for (const match of sources.matchAll(/\[\s*"([A-Za-z_]+)"\s*,\s*\[/g)) {
      used.add(match[1] ?? "");
    }
    for (const match of sources.matchAll(/t\(\s*[^,)]*\?\s*"([A-Za-z_]+)"\s*:\s*"([A-Za-z_]+)"/g)) {
      used.add(match[1] ?? "");
      used.add(match[2] ?? "");
    }
    for (const key of used) {
      assert.ok(english[key], `missing message ${key}`);
    }
    const unused = Object.keys(english).filter((key) => !used.has(key) && !key.startsWith("error_"));
    assert.deepEqual(unused, []);
  });
});
