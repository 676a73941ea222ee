/**
 * What Thunderbird's calendar tab shows a user: the open view (day, week or month), the
 * minimonth's dots and the Today pane's agenda, read from their DOM and the occurrences their
 * boxes hold, not from a calendar query. Used to prove the views follow the connection and
 * each sync without the user moving them.
 */

import type { Thunderbird } from "../harness/thunderbird";

export interface ShownCalendarView {
  /** "day", "week", "multiweek" or "month". */
  type: string;
  /** Titles of the occurrences shown, with their calendar's name: "title @ calendar". */
  events: string[];
  /** Calendar ids that have a dot in the minimonth. */
  minimonthCalendars: string[];
  /** Titles in the Today pane's agenda. */
  agenda: string[];
}

const PRELUDE = `const win = Services.wm.getMostRecentWindow("mail:3pane");`;

/** Opens (or switches to) the calendar tab in the given view, on today. */
export async function openCalendarTab(tb: Thunderbird, view: "day" | "week" | "month" = "week"): Promise<void> {
  await tb.chrome(
    `${PRELUDE}
    win.document.getElementById("tabmail").openTab("calendar");
    win.switchCalendarView(args[0], true);
    win.document.getElementById("today-pane-panel").setVisible(true, true, true);
    // The Today pane's agenda fills itself once active (Thunderbird activates it when the pane
    // shows): 153 has ensureInitialized() for that; 140 has only the mixin's activate().
    const agenda = win.document.getElementById("agenda");
    if (agenda.ensureInitialized) {
      await agenda.ensureInitialized();
    } else if (!agenda.isActive) {
      await agenda.activate();
    }
    return true;`,
    view,
  );
}

export function shownInCalendarTab(tb: Thunderbird): Promise<ShownCalendarView> {
  return tb.chrome<ShownCalendarView>(`${PRELUDE}
    const view = win.currentView();
    const events = [...view.querySelectorAll("calendar-event-box, calendar-editable-item, calendar-month-day-box-item")]
      .filter(box => box.occurrence && box.isConnected && !box.hidden)
      .map(box => box.occurrence.title + " @ " + box.occurrence.calendar.name);
    const minimonthCalendars = new Set();
    for (const box of win.document.querySelectorAll("#calMinimonth [busy]")) {
      for (const pair of box.getAttribute("busy").split("\\u001a")) {
        const [id, count] = pair.split("=");
        if (Number(count) > 0) minimonthCalendars.add(id);
      }
    }
    const agenda = [...win.document.querySelectorAll("#agenda .agenda-listitem")]
      .map(item => item.item?.title ?? item.querySelector(".agenda-listitem-title")?.textContent ?? "")
      .filter(Boolean);
    return { type: view.type, events: [...new Set(events)].sort(), minimonthCalendars: [...minimonthCalendars].sort(), agenda };
  `);
}
