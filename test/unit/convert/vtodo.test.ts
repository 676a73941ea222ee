/**
 * BlueMind VTodo <-> VTODO (issue 12): one fixture per mapped field (todo-fields.json), a task as
 * Thunderbird writes it (tb-task.ics: X-MOZ properties, an end-related reminder, an occurrence
 * ticked as a RECURRENCE-ID override), `base` carrying what iCalendar cannot, and BlueMind's
 * sanitizer rules; then the round-trip property test over seeded random tasks.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import type { VTodo } from "../../../src/bluemind/todo-types";
import { icsToTodo, sanitizeTodo, todoListToIcs, todoToIcs } from "../../../src/convert/index";
import { NEW_TODO_SUMMARY } from "../../../src/convert/vtodo-sanitize";
import { clone, fixtureText, icsFixture, parseCal } from "./support/ical";
import { Rng } from "./support/random";
import { normalizeTodo, randomTodo } from "./support/random-todo";

interface FieldFixture {
  todo: VTodo;
  lines: string[];
  readBack?: Partial<VTodo>;
  attendeePartstat?: string;
}

const FIELDS = JSON.parse(fixtureText("todo-fields.json")) as Record<string, FieldFixture | string>;
const SEED = Number(process.env.CONVERT_SEED ?? 20261201);
const COUNT = Number(process.env.CONVERT_COUNT ?? 500);
const quiet = { warn: () => undefined };

function vtodo(ics: string): ICAL.Component {
  const c = parseCal(ics).getFirstSubcomponent("vtodo");
  if (!c) throw new Error("no VTODO");
  return c;
}

/** Each property of the VTODO (and its alarms) as one unfolded line. */
function lines(ics: string): string[] {
  const c = vtodo(ics);
  const all = [c, ...c.getAllSubcomponents("valarm")];
  return all.flatMap((comp) => comp.getAllProperties().map((p) => p.toICALString()));
}

describe("convert: tasks (VTodo <-> VTODO)", () => {
  for (const [name, f] of Object.entries(FIELDS)) {
    if (typeof f === "string") continue;
    it(`field: ${name}`, () => {
      const ics = todoToIcs(f.todo);
      const written = lines(ics);
      for (const line of f.lines) assert.ok(written.includes(line), `${line} in\n${written.join("\n")}`);
      if (f.attendeePartstat) assert.equal(vtodo(ics).getFirstProperty("attendee")?.getFirstParameter("partstat"), f.attendeePartstat);
      const back = icsToTodo(ics, null, quiet);
      const expected = { ...normalizeTodo(f.todo), ...(f.readBack ?? {}) };
      assert.deepEqual(back, expected);
    });
  }

  it("one VCALENDAR for many tasks, each VTIMEZONE once", () => {
    const zoned = (uid: string): VTodo => ({
      uid,
      summary: uid,
      dtstart: { iso8601: "2026-12-01T09:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" },
    });
    const cal = parseCal(todoListToIcs([zoned("a"), zoned("b")]));
    assert.equal(cal.getAllSubcomponents("vtodo").length, 2);
    assert.deepEqual(
      cal.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
      ["Europe/Paris"],
    );
  });

  it("reads a task as Thunderbird writes it: X-MOZ alarm state kept, reminder from the due date, a ticked occurrence as an EXDATE", () => {
    const todo = icsToTodo(icsFixture("tb-task.ics"), null, quiet);
    assert.equal(todo.uid, "4f1c2d9e-7b3a-4c1e-9d2f-tb-task");
    assert.equal(todo.summary, "Rapport hebdomadaire");
    assert.equal(todo.status, "NeedsAction");
    assert.deepEqual(todo.properties, { "X-MOZ-LASTACK": "20261201T081500Z" }, "X-MOZ-GENERATION never reaches BlueMind");
    assert.equal(todo.rrule?.frequency, "WEEKLY");
    // 30 min before the due date (12:00), which is 2 h 30 after the start (09:00).
    assert.deepEqual(
      todo.alarm?.map((a) => [a.action, a.trigger, a.description]),
      [["Display", 2 * 3600 + 1800, null]],
    );
    assert.deepEqual(todo.exdate, [{ iso8601: "2026-12-07T09:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" }]);
  });

  it("with `base`, what iCalendar cannot carry comes back from it, and an edit changes only what changed", () => {
    const base: VTodo = {
      ...normalizeTodo({ uid: "b1", summary: "Courses", categories: [{ label: "Perso" }], status: "NeedsAction", percent: 0 }),
      categories: [{ label: "Perso", containerUid: "tags_alice", itemUid: "tag-1", color: "3d98ff" }],
      draft: true,
      conferenceConfiguration: { provider: "x" },
      properties: { "bm-origin": "web" },
    };
    assert.deepEqual(icsToTodo(todoToIcs(base), base, quiet), base);
    const comp = parseCal(todoToIcs(base));
    const todo = comp.getFirstSubcomponent("vtodo")!;
    // Ticked in Thunderbird.
    todo.updatePropertyWithValue("status", "COMPLETED");
    todo.updatePropertyWithValue("percent-complete", 100);
    todo.updatePropertyWithValue("completed", ICAL.Time.fromDateTimeString("2026-12-01T10:00:00Z"));
    const edited = icsToTodo(comp.toString(), base, quiet);
    assert.deepEqual(edited, {
      ...base,
      status: "Completed",
      percent: 100,
      completed: { iso8601: "2026-12-01T10:00:00.000Z", timezone: "UTC", precision: "DateTime" },
    });
  });

  it("BlueMind's sanitizer: empty summary, completed date with Completed only, percent and priority clamped, people kept", () => {
    const now = Date.UTC(2026, 11, 1, 9, 30);
    const s = sanitizeTodo(
      {
        uid: "",
        summary: "",
        status: "Completed",
        percent: 130,
        priority: 12,
        dtstart: { iso8601: "2026-12-01T08:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" },
      },
      now,
      () => "new-uid",
    );
    assert.equal(s.summary, NEW_TODO_SUMMARY);
    assert.equal(s.uid, "new-uid");
    assert.equal(s.percent, 100);
    assert.equal(s.priority, 9);
    assert.deepEqual(s.completed, { iso8601: "2026-12-01T10:30:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" });
    const reopened = sanitizeTodo({ ...s, status: "NeedsAction", percent: -5 }, now, () => "x");
    assert.equal(reopened.completed, null);
    assert.equal(reopened.percent, 0);
    const old: VTodo = { uid: "o", organizer: { mailto: "alice@bluemind.test" }, attendees: [{ mailto: "bob@bluemind.test" }] };
    const kept = sanitizeTodo({ uid: "o", summary: "x", attendees: [] }, now, () => "x", old);
    assert.deepEqual([kept.organizer, kept.attendees], [old.organizer, old.attendees]);
    assert.equal(sanitizeTodo({ uid: "u", summary: "x", status: "Completed" }, now, () => "x").completed?.timezone, "UTC");
  });

  it(`${COUNT} random tasks survive todoToIcs -> icsToTodo (seed ${SEED}), and again with themselves as base`, () => {
    const r = new Rng(SEED);
    for (let i = 0; i < COUNT; i++) {
      const t = randomTodo(r);
      const ics = todoToIcs(t);
      const context = (e: unknown): Error =>
        new Error(`task #${i} (seed ${SEED}) differs:\n${(e as Error).message}\n--- input\n${JSON.stringify(t)}\n--- ics\n${ics}`);
      const back = icsToTodo(ics, null, quiet);
      try {
        assert.deepEqual(back, normalizeTodo(t));
        assert.deepEqual(normalizeTodo(back), back, "the output is already normalised");
        const full = clone(back);
        assert.deepEqual(icsToTodo(todoToIcs(full), full, quiet), full, "an untouched ICS gives back its base");
      } catch (e) {
        throw context(e);
      }
    }
  });
});
