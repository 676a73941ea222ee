/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * Why a server does not answer, loaded by parent.js into provider.js's scope (for
 * bmcal.diagnoseConnection). Why: the background's fetch() fails with the same TypeError for a
 * TLS failure (an unknown or expired certificate) as for an unreachable server, and the options
 * page must tell them apart; a privileged channel gives the nsresult, whose module says which.
 */

// @ts-check
"use strict";

/* global ChromeUtils, Ci, Components */
/* exported diagnose */

var { NetUtil } = ChromeUtils.importESModule("resource://gre/modules/NetUtil.sys.mjs");

const NS_ERROR_MODULE_SECURITY = 21;

/**
 * Resolves with "tls", "unreachable" or "ok", from the nsresult of a privileged request.
 * @param {string} url
 * @returns {Promise<ConnectionDiagnosis>}
 */
function diagnose(url) {
  return new Promise((resolve) => {
    let channel;
    try {
      channel = NetUtil.newChannel({ uri: url, loadUsingSystemPrincipal: true });
    } catch (e) {
      resolve("unreachable");
      return;
    }
    channel.loadFlags |= Ci.nsIRequest.LOAD_BYPASS_CACHE | Ci.nsIRequest.LOAD_ANONYMOUS;
    channel.asyncOpen({
      onStartRequest() {},
      onDataAvailable(request, stream, offset, count) {
        NetUtil.readInputStreamToString(stream, count);
      },
      onStopRequest(request, status) {
        if (Components.isSuccessCode(status)) {
          resolve("ok");
          return;
        }
        const module = ((status >>> 16) & 0x1fff) - 0x45;
        resolve(module == NS_ERROR_MODULE_SECURITY ? "tls" : "unreachable");
      },
    });
  });
}
