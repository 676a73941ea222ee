/**
 * Small builders shared by everything that makes demo or benchmark events: a VEvent with
 * BlueMind's usual defaults, and a seeded PRNG so generated data is the same on every run.
 */
import type { VEvent } from "../src/bluemind/types";

export type VEventFields = Partial<VEvent> & Pick<VEvent, "dtstart" | "dtend" | "summary">;

/** A VEvent with the defaults BlueMind's web app writes, overridden by `fields`. */
export function vevent(fields: VEventFields): VEvent {
  return {
    classification: "Public",
    transparency: "Opaque",
    location: null,
    description: null,
    priority: 5,
    alarm: [],
    status: "Confirmed",
    attendees: [],
    organizer: null,
    categories: [],
    exdate: [],
    rdate: [],
    rrule: null,
    url: null,
    conference: null,
    conferenceId: null,
    conferenceConfiguration: {},
    attachments: [],
    sequence: 0,
    draft: false,
    ...fields,
  };
}
