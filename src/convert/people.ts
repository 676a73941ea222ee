/**
 * ORGANIZER and ATTENDEE <-> BlueMind Organizer/Attendee with all their parameters (CN, DIR,
 * ROLE, PARTSTAT, CUTYPE, RSVP, DELEGATED-TO/FROM, MEMBER, SENT-BY, LANGUAGE, and BlueMind's
 * X-RESPONSE-COMMENT). The address is "mailto:<mailto>", or BlueMind's `uri` when there is no mail.
 */
import ICAL from "ical.js";
import type { Attendee, Organizer } from "../bluemind/types";
import { cleanText } from "./text";
import { CUTYPE_OUT, PARTSTAT_OUT, readCuType, readPartStat, readRole, ROLE_OUT } from "./enums";

const MAILTO = /^mailto:/i;

function address(mailto: string | null | undefined, uri: string | null | undefined): string | null {
  if (mailto) return `mailto:${mailto}`;
  if (uri) return uri;
  return null;
}

/** Multi-valued parameters (MEMBER, DELEGATED-*) are a comma-joined string in BlueMind. */
function setList(prop: ICAL.Property, name: string, v: string | null | undefined): void {
  if (!v) return;
  const items = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1) prop.setParameter(name, items[0]!);
  else if (items.length > 1) prop.setParameter(name, items);
}

function getList(prop: ICAL.Property, name: string): string | null {
  const v = prop.getParameter(name) as unknown;
  if (v == null) return null;
  const items = (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
  return items.length ? items.join(",") : null;
}

function getParam(prop: ICAL.Property, name: string): string | null {
  const v = prop.getParameter(name) as string | string[] | null | undefined;
  if (v == null) return null;
  return Array.isArray(v) ? (v.length ? v.map(String).join(",") : null) : String(v);
}

function setParam(prop: ICAL.Property, name: string, v: string | null | undefined): void {
  if (v != null && v !== "") prop.setParameter(name, cleanText(v));
}

export function writeOrganizer(comp: ICAL.Component, o: Organizer): void {
  const value = address(o.mailto, o.uri);
  if (!value) return;
  const prop = comp.addPropertyWithValue("organizer", value);
  setParam(prop, "cn", o.commonName);
  setParam(prop, "dir", o.dir);
}

export function readOrganizer(prop: ICAL.Property): Organizer {
  const value = String(prop.getFirstValue() ?? "");
  const isMail = MAILTO.test(value);
  return {
    uri: isMail || !value ? null : value,
    commonName: getParam(prop, "cn"),
    mailto: isMail ? value.replace(MAILTO, "") : getParam(prop, "email"),
    dir: getParam(prop, "dir"),
  };
}

export function writeAttendee(comp: ICAL.Component, a: Attendee): void {
  const value = address(a.mailto, a.uri);
  if (!value) return;
  const prop = comp.addPropertyWithValue("attendee", value);
  setParam(prop, "cutype", a.cutype ? CUTYPE_OUT[a.cutype] : null);
  setList(prop, "member", a.member);
  setParam(prop, "role", a.role ? ROLE_OUT[a.role] : null);
  setParam(prop, "partstat", a.partStatus ? PARTSTAT_OUT[a.partStatus] : null);
  if (a.rsvp != null) prop.setParameter("rsvp", a.rsvp ? "TRUE" : "FALSE");
  setList(prop, "delegated-to", a.delTo);
  setList(prop, "delegated-from", a.delFrom);
  setParam(prop, "sent-by", a.sentBy);
  setParam(prop, "cn", a.commonName);
  setParam(prop, "dir", a.dir);
  setParam(prop, "language", a.lang);
  setParam(prop, "x-response-comment", a.responseComment);
}

/** Fields iCalendar cannot carry (`internal`, `counter`, `uri` beside a mail) come back null. */
export function readAttendee(prop: ICAL.Property): Attendee {
  const value = String(prop.getFirstValue() ?? "");
  const isMail = MAILTO.test(value);
  const cutype = getParam(prop, "cutype");
  const role = getParam(prop, "role");
  const partstat = getParam(prop, "partstat");
  const rsvp = getParam(prop, "rsvp");
  return {
    cutype: cutype ? readCuType(cutype) : null,
    member: getList(prop, "member"),
    role: role ? readRole(role) : null,
    partStatus: partstat ? readPartStat(partstat) : null,
    rsvp: rsvp == null ? null : rsvp.toUpperCase() === "TRUE",
    delTo: getList(prop, "delegated-to"),
    delFrom: getList(prop, "delegated-from"),
    sentBy: getParam(prop, "sent-by"),
    commonName: getParam(prop, "cn"),
    dir: getParam(prop, "dir"),
    lang: getParam(prop, "language"),
    mailto: isMail ? value.replace(MAILTO, "") : getParam(prop, "email"),
    uri: isMail || !value ? null : value,
    internal: null,
    responseComment: getParam(prop, "x-response-comment"),
    counter: null,
  };
}
