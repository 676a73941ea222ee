import { strict as assert } from "node:assert";
import { BlueMindError } from "../../src/bluemind/errors";
import { normalizeServerUrl } from "../../src/bluemind/server-url";

const kindOf = (input: string): string => {
  try {
    normalizeServerUrl(input);
    return "ok";
  } catch (error) {
    return error instanceof BlueMindError ? error.kind : "other";
  }
};

describe("server address", () => {
  it("keeps only the origin and defaults to https", () => {
    assert.equal(normalizeServerUrl(" bm.example.com/webmail/ "), "https://bm.example.com");
    assert.equal(normalizeServerUrl("https://bm.example.com:8443/cal/"), "https://bm.example.com:8443");
  });
  it("accepts plain http on loopback only", () => {
    assert.equal(normalizeServerUrl("http://127.0.0.1:8090"), "http://127.0.0.1:8090");
    assert.equal(normalizeServerUrl("http://localhost:8090/"), "http://localhost:8090");
    assert.equal(kindOf("http://bm.example.com"), "insecureUrl");
  });
  it("rejects what is not a server address", () => {
    assert.equal(kindOf(""), "invalidUrl");
    assert.equal(kindOf("ftp://bm.example.com"), "invalidUrl");
    assert.equal(kindOf("https://user:pw@bm.example.com"), "invalidUrl");
    assert.equal(kindOf("https://exa mple.com"), "invalidUrl");
  });
});
