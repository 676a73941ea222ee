/**
 * Typings for our own experiment API (src/experiments/bmcal/schema.json), merged into the
 * `messenger` global that @types/thunderbird-webext-browser declares.
 */
declare namespace messenger.bmcal {
  interface CalendarSpec {
    uri: string;
    name: string;
    color: string;
    readOnly: boolean;
    cached: boolean;
  }
  interface CalendarChanges {
    name?: string;
    color?: string;
    readOnly?: boolean;
    cached?: boolean;
  }
  interface CalendarInfo extends CalendarSpec {
    id: string;
    disabled: boolean;
  }
  type ConnectionDiagnosis = "tls" | "unreachable" | "ok";

  function registerProvider(): Promise<void>;
  function listCalendars(): Promise<CalendarInfo[]>;
  function createCalendar(spec: CalendarSpec): Promise<CalendarInfo>;
  function updateCalendar(uri: string, changes: CalendarChanges): Promise<CalendarInfo>;
  function removeCalendar(uri: string): Promise<void>;
  function refreshCalendar(uri: string): Promise<void>;
  function saveSecret(origin: string, username: string, secret: string): Promise<void>;
  function readSecret(origin: string, username: string): Promise<string | null>;
  function deleteSecret(origin: string, username: string): Promise<void>;
  function diagnoseConnection(url: string): Promise<ConnectionDiagnosis>;
}
