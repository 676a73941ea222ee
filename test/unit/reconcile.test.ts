import { strict as assert } from "node:assert";
import type { CalendarSpec } from "../../src/sync/calendar-spec";
import { planReconcile } from "../../src/sync/reconcile";

const cal = (uri: string, over: Partial<CalendarSpec> = {}): CalendarSpec => ({
  uri,
  name: uri.toUpperCase(),
  color: "#3D99FF",
  readOnly: false,
  cached: true,
  ...over,
});

describe("reconciliation plan", () => {
  it("creates what is missing and removes what is no longer subscribed", () => {
    const plan = planReconcile([cal("a"), cal("b")], [cal("b"), cal("c")]);
    assert.deepEqual(
      plan.create.map((c) => c.uri),
      ["a"],
    );
    assert.deepEqual(plan.remove, ["c"]);
    assert.deepEqual(plan.update, []);
  });

  it("updates only what changed: name, colour, read-only and cache mode", () => {
    const plan = planReconcile([cal("a", { name: "New", color: "#FF0000", readOnly: true, cached: false })], [cal("a")]);
    assert.deepEqual(plan.update, [{ uri: "a", changes: { name: "New", color: "#FF0000", readOnly: true, cached: false } }]);
  });

  it("does nothing when Thunderbird already matches (colour case ignored)", () => {
    const plan = planReconcile([cal("a", { color: "#3d99ff" })], [cal("a")]);
    assert.deepEqual(plan, { create: [], update: [], remove: [] });
  });

  it("removes duplicate copies of one URI", () => {
    const plan = planReconcile([cal("a")], [cal("a"), cal("a"), cal("x"), cal("x")]);
    assert.deepEqual(plan.remove.sort(), ["a", "x", "x"]);
    assert.deepEqual(plan.create, []);
  });
});
