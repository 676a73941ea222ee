/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The BlueMind API key in Thunderbird's login manager (bmcal.saveSecret, readSecret and
 * deleteSecret), loaded by parent.js into provider.js's scope. Why the login manager: it is
 * where Thunderbird keeps passwords, protected by the primary password when the user sets one,
 * and the background cannot reach it. Our logins carry their own realm (SECRET_REALM), so the
 * user's other logins for the same server are never touched.
 */

// @ts-check
"use strict";

/* global Services, Cc, Ci */
/* exported saveSecret, readSecret, deleteSecret */

const SECRET_REALM = "BlueMind Calendar Sync";

/** removeLoginAsync in 153; removeLogin in older releases. */
async function removeLogin(login) {
  if (typeof Services.logins.removeLoginAsync == "function") {
    await Services.logins.removeLoginAsync(login);
  } else {
    Services.logins.removeLogin(login);
  }
}

async function findSecretLogins(origin) {
  return Services.logins.searchLoginsAsync({ origin, httpRealm: SECRET_REALM });
}

/** Stores the key for this server and account, in place of any the server had. */
async function saveSecret(origin, username, secret) {
  for (const login of await findSecretLogins(origin)) {
    await removeLogin(login);
  }
  const login = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
  login.init(origin, null, SECRET_REALM, username, secret, "", "");
  await Services.logins.addLoginAsync(login);
}

/** @returns {Promise<string | null>} */
async function readSecret(origin, username) {
  const logins = await findSecretLogins(origin);
  const login = logins.find((l) => l.username == username);
  return login ? login.password : null;
}

async function deleteSecret(origin, username) {
  for (const login of await findSecretLogins(origin)) {
    if (login.username == username) {
      await removeLogin(login);
    }
  }
}
