/**
 * JSON shapes of BlueMind's REST API, as the Java API classes declare them
 * (see docs/bluemind-rules.md, "REST conventions and shapes"). Shared by the add-on's
 * BlueMind client, the converter and the reference server, so both sides speak one vocabulary.
 * Field names are BlueMind's, including their inconsistencies
 * (`ownerDisplayname` in ContainerDescriptor, `ownerDisplayName` in subscriptions).
 */

/** Error body of every failed REST call (ResponseBuilder.buildFault). */
export interface ServerFault {
  errorCode: string;
  errorType: string;
  message: string;
}

export type LoginStatus = "Ok" | "Bad" | "Expired";

export interface UserEmail {
  address: string;
  allAliases: boolean;
  isDefault: boolean;
}

export interface User {
  login: string;
  emails: UserEmail[];
  dataLocation?: string | null;
  archived?: boolean;
  /** Regenerated when the mailbox is moved or restored: clients then reset their local data. */
  mailboxCopyGuid?: string | null;
}

export interface AuthUser {
  uid: string;
  domainUid: string;
  displayName: string;
  value: User;
  roles: string[];
  rolesByOU: Record<string, string[]>;
  settings: Record<string, string>;
}

export interface LoginResponse {
  status: LoginStatus;
  message: string | null;
  authKey: string | null;
  latd: string | null;
  authUser: AuthUser | null;
}

/** A permanent API key ("app password"), IAPIKeys. */
export interface APIKey {
  sid: string;
  displayName: string;
  subject: string;
  domainUid: string;
}

export type Verb = "Invitation" | "Freebusy" | "SendOnBehalf" | "SendAs" | "Read" | "ReadExtended" | "Write" | "Manage" | "All";

export interface AccessControlEntry {
  subject: string;
  verb: Verb;
}

export interface ContainerDescriptor {
  uid: string;
  name: string;
  owner: string;
  type: string;
  defaultContainer: boolean;
  readOnly: boolean;
  domainUid: string;
  ownerDisplayname: string;
  ownerDirEntryPath: string;
  settings: Record<string, string>;
  deleted: boolean;
  datalocation: string | null;
  internalId: number;
  /** @deprecated by BlueMind, still filled: true when `verbs` grant Write. */
  writable: boolean;
  verbs: Verb[];
  /** The caller's "Synchronisation" flag; false when the caller is not subscribed. */
  offlineSync: boolean;
  automount: boolean;
}

export interface ContainerQuery {
  type?: string | null;
  name?: string | null;
  verb?: Verb[] | null;
  owner?: string | null;
  readonly?: boolean | null;
  size?: number;
}

/** Request shape of `_subscribe`. */
export interface ContainerSubscription {
  containerUid: string;
  offlineSync: boolean;
  automount?: boolean;
}

export interface ContainerSubscriptionModel extends ContainerSubscription {
  containerType: string;
  owner: string;
  defaultContainer: boolean;
  name: string;
}

/** Returned by `GET /api/users/{domain}/subscriptions/{subject}`. Note the capital N. */
export interface ContainerSubscriptionDescriptor extends ContainerSubscriptionModel {
  ownerDisplayName: string;
  ownerDirEntryPath: string;
}

export interface Count {
  total: number;
}

export interface ContainerChangeset<T> {
  created: T[];
  updated: T[];
  deleted: T[];
  version: number;
}

export type ItemFlag = "Seen" | "Deleted" | "Important";

export interface ItemValue<T> {
  uid: string;
  internalId: number;
  version: number;
  displayName: string | null;
  externalId: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  created: number | null;
  updated: number | null;
  flags: ItemFlag[];
  value: T;
}

/** `ItemContainerValue`: ItemValue without internalId and flags, plus the container. */
export interface ItemContainerValue<T> extends Omit<ItemValue<T>, "internalId" | "flags"> {
  containerUid: string;
}

export interface ListResult<T> {
  values: T[];
  total: number;
}

export type BmDateTimePrecision = "DateTime" | "Date";

export interface BmDateTime {
  /** e.g. "2016-03-09T11:30:00.000+01:00", or "2016-03-09" for a Date. */
  iso8601: string;
  /** IANA zone, "UTC", or null for floating times. */
  timezone: string | null;
  precision: BmDateTimePrecision;
}

export type Classification = "Public" | "Private" | "Confidential";
export type EventStatus = "NeedsAction" | "Completed" | "InProcess" | "Cancelled" | "Confirmed" | "Tentative";
export type Transparency = "Opaque" | "Transparent";

export interface VAlarm {
  action: "Audio" | "Display" | "Email";
  /** Seconds relative to the start; negative means before. */
  trigger: number;
  description?: string | null;
  duration?: number | null;
  repeat?: number | null;
  summary?: string | null;
}

export type CUType = "Individual" | "Group" | "Resource" | "Room" | "Unknown";
export type AttendeeRole = "Chair" | "RequiredParticipant" | "OptionalParticipant" | "NonParticipant";
export type ParticipationStatus = "NeedsAction" | "Accepted" | "Declined" | "Tentative" | "Delegated" | "Completed";

export interface Attendee {
  cutype?: CUType | null;
  member?: string | null;
  role?: AttendeeRole | null;
  partStatus?: ParticipationStatus | null;
  rsvp?: boolean | null;
  delTo?: string | null;
  delFrom?: string | null;
  sentBy?: string | null;
  commonName?: string | null;
  dir?: string | null;
  lang?: string | null;
  mailto?: string | null;
  uri?: string | null;
  internal?: boolean | null;
  responseComment?: string | null;
  counter?: BmDateTime | null;
}

export interface Organizer {
  uri?: string | null;
  commonName?: string | null;
  mailto?: string | null;
  dir?: string | null;
}

export interface TagRef {
  containerUid?: string | null;
  itemUid?: string | null;
  label: string;
  color?: string | null;
}

export type Frequency = "SECONDLY" | "MINUTELY" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
export type WeekDayName = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";

export interface WeekDay {
  day: WeekDayName;
  /** 0 = every such day; 1 = first, -1 = last, ... */
  offset: number;
}

export interface RRule {
  frequency: Frequency;
  count?: number | null;
  until?: BmDateTime | null;
  interval?: number | null;
  bySecond?: number[] | null;
  byMinute?: number[] | null;
  byHour?: number[] | null;
  byDay?: WeekDay[] | null;
  byMonthDay?: number[] | null;
  byYearDay?: number[] | null;
  byWeekNo?: number[] | null;
  byMonth?: number[] | null;
  bySetPos?: number[] | null;
}

export interface AttachedDocument {
  publicUrl: string;
  expirationDate?: number | null;
  name: string;
  cid?: string | null;
}

/** BlueMind's ICalendarElement: the fields events and tasks share. */
export interface ICalendarElement {
  summary?: string | null;
  classification?: Classification | null;
  location?: string | null;
  description?: string | null;
  priority?: number | null;
  alarm?: VAlarm[] | null;
  status?: EventStatus | null;
  attendees?: Attendee[] | null;
  organizer?: Organizer | null;
  categories?: TagRef[] | null;
  exdate?: BmDateTime[] | null;
  rdate?: BmDateTime[] | null;
  rrule?: RRule | null;
  url?: string | null;
  conference?: string | null;
  conferenceId?: string | null;
  conferenceConfiguration?: Record<string, string> | null;
  attachments?: AttachedDocument[] | null;
  properties?: Record<string, string> | null;
  sequence?: number | null;
  draft?: boolean | null;
}

export interface VEvent extends ICalendarElement {
  dtstart: BmDateTime;
  dtend?: BmDateTime | null;
  transparency?: Transparency | null;
}

/** A recurrence exception: the overridden occurrence, keyed by its original start. */
export interface VEventOccurrence extends VEvent {
  recurid: BmDateTime;
}

export interface VEventCounter {
  originator: { commonName?: string | null; email: string };
  counter: VEventOccurrence;
}

export interface VEventSeries {
  main: VEvent | null;
  occurrences: VEventOccurrence[];
  counters?: VEventCounter[];
  properties?: Record<string, string>;
  icsUid: string;
  acceptCounters?: boolean;
}

export interface VEventQuery {
  query?: string | null;
  from?: number;
  size?: number;
  escapeQuery?: boolean;
  dateMin?: BmDateTime | null;
  dateMax?: BmDateTime | null;
  resolveAttendees?: boolean;
  attendee?: { dir?: string | null; calendarOwnerAsDir?: boolean; partStatus?: ParticipationStatus | null } | null;
}

export interface CalendarsQuery {
  owner?: string | null;
  containers: string[];
  eventQuery: VEventQuery;
}

export interface VEventChangesItemAdd {
  uid: string;
  value: VEventSeries;
  sendNotification: boolean;
}

export interface VEventChanges {
  add?: VEventChangesItemAdd[];
  modify?: VEventChangesItemAdd[];
  delete?: { uid: string; sendNotification: boolean }[];
}

export interface ContainerUpdatesResult {
  added: string[];
  updated: string[];
  removed: string[];
  unhandled: string[];
  errors: { message: string; uid: string; errorCode: string }[];
  version: number;
}
