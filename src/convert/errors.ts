/**
 * The converter's one error type, so callers can tell "this event cannot be converted" (skip it,
 * tell the user) from a programming error. `field` names the offending BlueMind field, as a path
 * ("main.attendees[2].mailto"), when the error is about one.
 */
export class ConvertError extends Error {
  readonly field: string | null;

  constructor(message: string, field: string | null = null) {
    super(message);
    this.name = "ConvertError";
    this.field = field;
  }
}
