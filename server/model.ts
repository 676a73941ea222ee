/**
 * Record types of the reference server's in-memory model (directory, users, containers,
 * sessions). Kept apart from store.ts so permission and HTTP code can share the shapes
 * without importing the whole state class.
 */
import type { AccessControlEntry, APIKey } from "../src/bluemind/types";

/** A directory entry: what BlueMind resolves owners to (displayName, path). */
export interface DirEntry {
  uid: string;
  kind: "USER" | "CALENDAR" | "DOMAIN";
  displayName: string;
  /** e.g. "bluemind.test/users/<uid>" or "bluemind.test/calendars/<uid>". */
  path: string;
  domainUid: string;
}

export interface UserRecord {
  uid: string;
  domainUid: string;
  /** Local part, as BlueMind's User.login. */
  login: string;
  displayName: string;
  email: string;
  password: string;
  passwordExpired: boolean;
  archived: boolean;
  roles: string[];
  settings: Record<string, string>;
}

export interface ContainerRecord {
  uid: string;
  name: string;
  type: string;
  owner: string;
  domainUid: string;
  defaultContainer: boolean;
  readOnly: boolean;
  internalId: number;
  datalocation: string | null;
  acl: AccessControlEntry[];
  settings: Record<string, string>;
  /** subject uid -> that user's personal settings for this container. */
  personalSettings: Record<string, Record<string, string>>;
}

/** Who is calling: resolved from X-BM-ApiKey (session key or API key sid). Null = anonymous. */
export interface Caller {
  subject: string;
  domainUid: string;
  /** The key that authenticated this call. */
  key: string;
  kind: "session" | "apikey";
  origin: string;
}

export interface Session {
  sid: string;
  subject: string;
  domainUid: string;
  origin: string;
  interactive: boolean;
  lastUsed: number;
}

export type { APIKey };
