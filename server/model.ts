/**
 * Record types of the reference server's in-memory model (directory, users, containers,
 * sessions). Kept apart from store.ts so permission and HTTP code can share the shapes
 * without importing the whole state class.
 */
import type { AccessControlEntry, APIKey } from "../src/bluemind/types";

/** How a domain's users sign in on the web (`net.bluemind.core.api.auth.AuthTypes`). */
export type AuthType = "INTERNAL" | "CAS" | "KERBEROS" | "OPENID";

/**
 * A BlueMind domain. Only the web login looks at `authType` (which login page, which
 * password); core's `/api/auth/login` never does.
 */
export interface DomainRecord {
  uid: string;
  name: string;
  authType: AuthType;
}

/** A directory entry: what BlueMind resolves owners to (displayName, path). */
export interface DirEntry {
  uid: string;
  kind: "USER" | "CALENDAR" | "DOMAIN" | "RESOURCE";
  displayName: string;
  /** The entry's address; users' come from their UserRecord, resources carry their own. */
  email?: string;
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
  /** The BlueMind password; null for a user who has none (known only to an external identity provider). */
  password: string | null;
  /**
   * The password of this user at the domain's external identity provider (OPENID / CAS
   * domains): only the web login form checks it, BlueMind core never sees it.
   */
  idpPassword?: string;
  passwordExpired: boolean;
  archived: boolean;
  roles: string[];
  settings: Record<string, string>;
  /**
   * User.mailboxCopyGuid: regenerated when the mailbox is moved or restored, which tells
   * BlueMind's clients to reset their local data. Absent or null until that first happens.
   */
  mailboxCopyGuid?: string | null;
  /** User.dataLocation: the backend holding the mailbox; absent = "bm-master". */
  dataLocation?: string;
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
