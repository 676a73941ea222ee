/* This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

/*
 * The provider's writes, loaded by parent.js into provider.js's scope: the layer of the
 * "bluemind" calendar class (provider.js) that sends Thunderbird's adds, edits and deletions to
 * BlueMind through the background, in both modes. Why a layer of its own: here calCachedCalendar's
 * quirks bite (docs/thunderbird-cached-calendar.md, "Bugs and workarounds"): in a cached
 * calendar a write is either the user's own, answered through the wrapper's hooks (always
 * called; the modify hook cleared here), or the replay of an offline edit, whose refusal must
 * not open a window at every refresh. Each item's BlueMind item uid and version are remembered:
 * in the cache's metadata, or in memory for an online-only calendar.
 */

// @ts-check
"use strict";

/* global Services, Ci, Cr, Components, cal, BmCachePlan, parseIcs, serializeItem, readMeta, keepItipState, forgetStoredIndex, UNAVAILABLE */
/* exported withItemWrites */

/**
 * Adds the writes to the provider's base class (createProviderBase, provider.js).
 * @template {new (...args: any[]) => BlueMindProviderBase} TBase
 * @param {ProviderHooks} hooks - the provider's
 * @param {TBase} Base
 */
function withItemWrites(hooks, Base) {
  return class BlueMindItemWrites extends Base {
    // ---- writes

    /**
     * BlueMind item uid and version known for a Thunderbird item id.
     * @param {string} id
     * @returns {ItemMeta | null}
     */
    knownItem(id) {
      if (this.mOfflineStorage) {
        const meta = readMeta(this.mOfflineStorage, id);
        return meta ? { itemUid: meta.u, version: meta.v } : null;
      }
      return this.mItemUids.get(id) || null;
    }

    /**
     * `replayed`: an offline edit sent; Thunderbird keeps its own copy, not the server's ("r").
     * @param {string} id
     * @param {string} itemUid
     * @param {number} version
     * @param {boolean} replayed
     */
    remember(id, itemUid, version, replayed) {
      if (this.mOfflineStorage) {
        this.mOfflineStorage.setMetaData(id, BmCachePlan.metaRow(itemUid, version, replayed));
      } else {
        this.mItemUids.set(id, { itemUid, version });
      }
    }

    /**
     * Sends one change to the background; resolves with the server's copy (null for a
     * deletion), or throws.
     * @param {"add" | "modify" | "delete"} op
     * @param {calIItemBase} item
     * @param {boolean} offlineReplay
     */
    async write(op, item, offlineReplay) {
      const known = this.knownItem(item.id);
      const result = await hooks.request("write", this.info, {
        op,
        id: item.id,
        ics: op == "delete" ? null : serializeItem(item),
        itemUid: known?.itemUid ?? null,
        version: known?.version ?? null,
      });
      if (!result || result.error) {
        const status = result?.error == "network" ? UNAVAILABLE : Ci.calIErrors.MODIFICATION_FAILED;
        throw Components.Exception(result?.message || "BlueMind refused the change", status);
      }
      this.mQueryCache.clear();
      // A sync's carried index (cache-writes.js) no longer holds: our metadata row is written
      // next, and Thunderbird changes the cache once this resolves (a deletion takes the row).
      forgetStoredIndex(this.mOfflineStorage);
      if (op == "delete") {
        return null;
      }
      this.remember(item.id, result.itemUid, result.version, !!offlineReplay);
      const [serverItem] = result.ics ? parseIcs(result.ics) : [];
      if (serverItem) {
        serverItem.calendar = this.superCalendar;
        keepItipState(item, serverItem);
      }
      return serverItem || item;
    }

    /**
     * A refused write from the user's own action (online-only calendar) gets Thunderbird's
     * error window; in a cached calendar this is the replay of an offline edit, which
     * Thunderbird keeps and retries: it is reported without a window (the options page shows
     * it), so no modal prompt pops up in the background at every refresh.
     */
    reportWriteFailure(e) {
      const status = e.result || Cr.NS_ERROR_FAILURE;
      if (this.mOfflineStorage && status == Ci.calIErrors.MODIFICATION_FAILED) {
        this.notifyError(Cr.NS_ERROR_FAILURE, e.message);
      } else {
        this.notifyError(status, e.message);
      }
    }

    /** The user's own edit, refused by BlueMind (not merely unsent): Thunderbird's error window says why. */
    reportRefusal(e) {
      if (e.result != UNAVAILABLE) {
        this.notifyError(Ci.calIErrors.MODIFICATION_FAILED, e.message);
      }
    }

    /** @param {calIItemBase} item */
    addItem(item) {
      return this.adoptItem(item.clone());
    }

    /** @param {calIItemBase} item */
    async adoptItem(item) {
      const hook = this._cachedAdoptItemCallback;
      this._cachedAdoptItemCallback = null;
      if (!item.id) {
        item.id = cal.getUUID();
      }
      return this.writeThroughHook("add", Ci.calIOperationListener.ADD, item, hook, (saved) => {
        this.mObservers.notify("onAddItem", [saved]);
        this.mLive.served([saved]);
      });
    }

    /**
     * @param {calIItemBase} newItem
     * @param {calIItemBase} oldItem
     */
    async modifyItem(newItem, oldItem) {
      // calCachedCalendar never clears this hook itself (Thunderbird bug): clear it here.
      const hook = this._cachedModifyItemCallback;
      this._cachedModifyItemCallback = null;
      return this.writeThroughHook("modify", Ci.calIOperationListener.MODIFY, newItem, hook, (saved) => {
        this.mObservers.notify("onModifyItem", [saved, oldItem]);
        this.mLive.forget(saved.id);
        this.mLive.served([saved]);
      });
    }

    /**
     * An add or a modify sent to the background. A cached calendar's calCachedCalendar set `hook`
     * (taken and cleared by the caller): the outcome goes to it, never as a rejection, which would
     * leave calCachedCalendar waiting forever (its bug). Online-only: `shown` tells the views.
     * @param {"add" | "modify"} op
     * @param {number} operation calIOperationListener.ADD or MODIFY
     * @param {calIItemBase} item
     * @param {Function | null} hook
     * @param {(saved: calIItemBase) => void} shown
     */
    async writeThroughHook(op, operation, item, hook, shown) {
      try {
        const saved = /** @type {calIItemBase} */ (await this.write(op, item, !hook && !!this.mOfflineStorage));
        if (hook) {
          await hook(this.superCalendar, Cr.NS_OK, operation, saved.id, saved);
        } else if (!this.mOfflineStorage) {
          shown(saved);
        }
        return saved;
      } catch (e) {
        if (hook) {
          await hook(this.superCalendar, e.result || Cr.NS_ERROR_FAILURE, operation, item.id, e);
          this.reportRefusal(e);
          return item;
        }
        this.reportWriteFailure(e);
        throw e;
      }
    }

    /** @param {calIItemBase} item */
    async deleteItem(item) {
      try {
        await this.write("delete", item.parentItem, !!this.mOfflineStorage && Services.io.offline);
      } catch (e) {
        this.reportWriteFailure(e);
        throw e;
      }
      if (!this.mOfflineStorage) {
        this.mItemUids.delete(item.id);
        this.mLive.forget(item.parentItem.id);
        this.mObservers.notify("onDeleteItem", [item]);
      }
    }
  };
}
