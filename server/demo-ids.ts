/**
 * Fixed identities of the demo directory (domains, users, calendars, colours), shared by
 * demo-data.ts and events-fixture.ts without an import cycle. Tests reach them via DEMO.
 */

/** The default domain: INTERNAL, BlueMind holds the passwords. */
export const DOMAIN = "bluemind.test";

/** A single-sign-on domain (OPENID): its users' passwords exist only at the identity provider. */
export const SSO_DOMAIN = "sso.test";

export const DOMAINS = {
  main: { uid: DOMAIN, authType: "INTERNAL" },
  sso: { uid: SSO_DOMAIN, authType: "OPENID" },
} as const;

export const USERS = {
  alice: {
    uid: "A11CE000-0000-4000-8000-000000000001",
    login: "alice@bluemind.test",
    password: "alice",
    displayName: "Alice Martin",
    email: "alice@bluemind.test",
  },
  bob: {
    uid: "B0B00000-0000-4000-8000-000000000002",
    login: "bob@bluemind.test",
    password: "bob",
    displayName: "Bob Durand",
    email: "bob@bluemind.test",
  },
  carol: {
    uid: "CA201000-0000-4000-8000-000000000003",
    login: "carol@bluemind.test",
    password: "carol",
    displayName: "Carol Petit",
    email: "carol@bluemind.test",
    /** Password expired: login answers status "Expired". */
    passwordExpired: true,
  },
  /**
   * A user without the calendar role (roles lack "hasCalendar"; BlueMind still made her
   * default calendar). Logs in normally.
   */
  dave: {
    uid: "DA7E0000-0000-4000-8000-000000000004",
    domainUid: DOMAIN,
    login: "dave@bluemind.test",
    password: "dave",
    displayName: "Dave Moreau",
    email: "dave@bluemind.test",
  },
  /**
   * A user of the single-sign-on domain, not carol@bluemind.test. She has no BlueMind
   * password: `idpPassword` is accepted only by the web login form (the identity provider);
   * /api/auth/login with it answers "Bad". API keys work for her.
   */
  carolSso: {
    uid: "CA201550-0000-4000-8000-000000000005",
    domainUid: SSO_DOMAIN,
    login: "carol@sso.test",
    idpPassword: "carol-idp",
    displayName: "Carol Lefèvre",
    email: "carol@sso.test",
  },
} as const;

export const CALENDARS = {
  alice: { uid: `calendar:Default:${USERS.alice.uid}`, name: "Alice", owner: USERS.alice.uid },
  projets: { uid: "5b0f4c8e-3c1a-4c55-9a43-7d0c2f1e9a01", name: "Projets", owner: USERS.alice.uid },
  archives: { uid: "5b0f4c8e-3c1a-4c55-9a43-7d0c2f1e9a02", name: "Archives", owner: USERS.alice.uid },
  bob: { uid: `calendar:Default:${USERS.bob.uid}`, name: "Bob", owner: USERS.bob.uid },
  equipeBob: { uid: "7e2d9a10-6b3c-4f1e-8d2a-0b0b0e9a0003", name: "Équipe Bob", owner: USERS.bob.uid },
  salles: {
    uid: "8f3c2a10-1d4e-4b5a-9c6d-5a11e5000004",
    name: "Salles de réunion",
    owner: "8f3c2a10-1d4e-4b5a-9c6d-5a11e5000004",
  },
  carol: { uid: `calendar:Default:${USERS.carol.uid}`, name: "Carol", owner: USERS.carol.uid },
  dave: { uid: `calendar:Default:${USERS.dave.uid}`, name: "Dave", owner: USERS.dave.uid },
  /** In domain sso.test. */
  carolSso: { uid: `calendar:Default:${USERS.carolSso.uid}`, name: "Carol", owner: USERS.carolSso.uid },
} as const;

/** Alice's personal `bm_color` setting per calendar. */
export const ALICE_COLORS: Record<string, string> = {
  [CALENDARS.alice.uid]: "#3D99FF",
  [CALENDARS.projets.uid]: "#2EB398",
  [CALENDARS.archives.uid]: "#8E8E8E",
  [CALENDARS.bob.uid]: "#F5A623",
  [CALENDARS.salles.uid]: "#B065D8",
  [CALENDARS.equipeBob.uid]: "#E04F5F",
};

export const ARCHIVES_EVENT_COUNT = 9500;
