/**
 * The background and the experiment speak through one declaration
 * (src/thunderbird/provider-contract.ts). Nothing compiles the privileged JavaScript against
 * it, so this test reads the three places that must agree with it: schema.json (what
 * Thunderbird checks at the boundary), src/types/bmcal.d.ts (what the background compiles
 * against) and parent.js (what is implemented).
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";
import { EXPERIMENT_FUNCTIONS, REQUEST_KINDS } from "../../src/thunderbird/provider-contract";

const root = new URL("../../", import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), "utf8");

interface SchemaParameter {
  name: string;
  enum?: string[];
  $ref?: string;
}
interface SchemaNamespace {
  functions: { name: string; parameters?: SchemaParameter[] }[];
  events: { name: string; parameters?: SchemaParameter[] }[];
  types: { id: string; properties: Record<string, { optional?: boolean }> }[];
}
const schema = (JSON.parse(read("src/experiments/bmcal/schema.json")) as SchemaNamespace[])[0]!;

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
}

/** Each function of `declare namespace messenger.bmcal` in the typings, with its parameter names. */
function typedFunctions(): Map<string, string[]> {
  const functions = new Map<string, string[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name) {
      functions.set(
        node.name.text,
        node.parameters.map((p) => p.name.getText()),
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(parse("src/types/bmcal.d.ts"));
  return functions;
}

/**
 * The interfaces of the contract: those declared in it, and those it re-exports from the layer
 * below (`export type { CalendarSpec } from "../sync/calendar-spec"`), each declared once.
 */
function contractInterfaces(): Map<string, ts.InterfaceDeclaration> {
  const declarations = new Map<string, ts.InterfaceDeclaration>();
  const collect = (path: string, names: ReadonlySet<string> | null): void => {
    ts.forEachChild(parse(path), (node) => {
      if (ts.isInterfaceDeclaration(node) && (!names || names.has(node.name.text))) {
        assert.ok(!declarations.has(node.name.text), `interface ${node.name.text} declared once`);
        declarations.set(node.name.text, node);
      }
      if (!names && ts.isExportDeclaration(node) && node.moduleSpecifier && node.exportClause && ts.isNamedExports(node.exportClause)) {
        const from = (node.moduleSpecifier as ts.StringLiteral).text;
        const target = new URL(`${from}.ts`, new URL(path, root)).href.slice(root.href.length);
        collect(target, new Set(node.exportClause.elements.map((element) => element.name.text)));
      }
    });
  };
  collect("src/thunderbird/provider-contract.ts", null);
  return declarations;
}

/** Member names of an interface of the contract, with those of the interfaces it extends there. */
function interfaceMembers(name: string): string[] {
  const declarations = contractInterfaces();
  const members = (id: string): string[] => {
    const declaration = declarations.get(id);
    assert.ok(declaration, `interface ${id} in the contract`);
    const inherited = (declaration.heritageClauses ?? []).flatMap((clause) =>
      clause.types.map((type) => type.expression.getText()).flatMap((parent) => (declarations.has(parent) ? members(parent) : [])),
    );
    return [...inherited, ...declaration.members.map((member) => member.name!.getText())];
  };
  return members(name);
}

/** The methods of the `bmcal` object parent.js's getAPI returns, with their parameter names. */
function implementedFunctions(): Map<string, string[]> {
  const functions = new Map<string, string[]>();
  for (const match of read("src/experiments/bmcal/parent.js").matchAll(/^ {10}async (\w+)\(([^)]*)\) \{$/gm)) {
    const params = match[2]!
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    functions.set(match[1]!, params);
  }
  return functions;
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe("one contract between the background and the experiment", () => {
  it("schema.json, the typings and parent.js have exactly the contract's functions", () => {
    assert.deepEqual(sorted(schema.functions.map((f) => f.name)), sorted(EXPERIMENT_FUNCTIONS), "schema.json");
    assert.deepEqual(sorted(typedFunctions().keys()), sorted(EXPERIMENT_FUNCTIONS), "bmcal.d.ts");
    assert.deepEqual(sorted(implementedFunctions().keys()), sorted(EXPERIMENT_FUNCTIONS), "parent.js");
  });

  it("each function takes the same parameters in all three", () => {
    const typed = typedFunctions();
    const implemented = implementedFunctions();
    for (const fn of schema.functions) {
      const names = (fn.parameters ?? []).map((p) => p.name);
      assert.deepEqual(typed.get(fn.name), names, `${fn.name} in bmcal.d.ts`);
      assert.deepEqual(implemented.get(fn.name), names, `${fn.name} in parent.js`);
    }
  });

  it("onRequest's kinds are the contract's, and each request kind is dispatched by parent.js's provider code", () => {
    const onRequest = schema.events.find((e) => e.name === "onRequest");
    assert.deepEqual(
      onRequest?.parameters?.map((p) => p.name),
      ["kind", "calendar", "payload"],
    );
    assert.deepEqual(sorted(onRequest.parameters[0]!.enum ?? []), sorted(REQUEST_KINDS));
    // Every script of the experiment, whichever file the provider's code is split into.
    const providerCode = readdirSync(new URL("src/experiments/bmcal/", root))
      .filter((f) => f.endsWith(".js"))
      .map((f) => read(`src/experiments/bmcal/${f}`))
      .join("\n");
    const asked = new Set([...providerCode.matchAll(/hooks\.request\("(\w+)"/g)].map((m) => m[1]!));
    assert.deepEqual(sorted(asked), sorted(REQUEST_KINDS), "the kinds the provider asks");
  });

  it("the calendar shapes in schema.json are the contract's", () => {
    const properties = (id: string): string[] => sorted(Object.keys(schema.types.find((t) => t.id === id)?.properties ?? {}));
    assert.deepEqual(properties("CalendarSpec"), sorted(interfaceMembers("CalendarSpec")));
    assert.deepEqual(properties("CalendarInfo"), sorted(interfaceMembers("CalendarInfo")));
    // CalendarChanges is the contract's Partial<Omit<CalendarSpec, "uri">>.
    assert.deepEqual(properties("CalendarChanges"), sorted(interfaceMembers("CalendarSpec").filter((m) => m !== "uri")));
    assert.ok(
      Object.values(schema.types.find((t) => t.id === "CalendarChanges")!.properties).every((p) => p.optional),
      "every change is optional",
    );
  });

  it("no error crossing the boundary is recognised by its message text", () => {
    const background = ["src/thunderbird/calendars.ts", "src/background/provider-bridge.ts"].map(read).join("\n");
    assert.doesNotMatch(background, /message\.(includes|startsWith|match)\(|\.test\([^)]*message/);
    assert.doesNotMatch(read("src/experiments/bmcal/cache-writes.js"), /throw new Error\(SYNC_STOPPED/);
  });
});
