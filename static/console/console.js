/* The operator console's live behaviour: plain JavaScript, no build step.
 *
 * Dashboard: follows /ws/tasks/ (every task's events, operators only). A state change
 * updates the task's badge at once; counts, the waiting list and the table are then
 * re-rendered by the server (GET /dashboard/live), so they never drift.
 *
 * Task page: follows /ws/tasks/<id>/?after=<last sequence shown>; the server replays what
 * was missed, then streams. Events are appended to the timeline in sequence order; on a
 * state change the page's other regions are refreshed from /dashboard/tasks/<id>/live.
 * Sockets reconnect with backoff and resume after the last sequence seen.
 */
(function () {
  "use strict";

  var body = document.body;
  var statusEl = document.querySelector("[data-live-status]");
  var CLOSE_CODES = { 4401: "Signed out", 4403: "Not allowed", 4404: "Not found" };

  function setStatus(state, label) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    var text = statusEl.querySelector(".live-label");
    if (text) text.textContent = label;
  }

  function stateLabel(state) {
    return String(state)
      .split("_")
      .map(function (word) { return word.charAt(0).toUpperCase() + word.slice(1); })
      .join(" ");
  }

  function setStateBadge(badge, state) {
    badge.className = badge.className.replace(/\bstate-\S+/g, "").trim() + " state-" + state;
    badge.textContent = stateLabel(state);
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function fetchLive(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("live refresh: HTTP " + response.status);
        return response.json();
      });
  }

  function replaceRegion(name, html) {
    var region = document.querySelector('[data-region="' + name + '"]');
    if (region && typeof html === "string") region.innerHTML = html;
  }

  /* One WebSocket that reconnects (1 s, 2 s, 4 s … 10 s) until the page goes away. */
  function follow(path, handlers) {
    var attempt = 0;
    var stopped = false;
    var socket = null;
    function open() {
      var scheme = location.protocol === "https:" ? "wss" : "ws";
      var query = handlers.query ? handlers.query() : "";
      socket = new WebSocket(scheme + "://" + location.host + path + query);
      socket.onopen = function () {
        attempt = 0;
        setStatus("live", "Live");
        if (handlers.onOpen) handlers.onOpen();
      };
      socket.onmessage = function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        if (event && typeof event.sequence === "number") handlers.onEvent(event);
      };
      socket.onclose = function (closing) {
        if (stopped) return;
        if (CLOSE_CODES[closing.code]) {
          setStatus("offline", CLOSE_CODES[closing.code]);
          return;
        }
        setStatus("reconnecting", "Reconnecting…");
        var delay = Math.min(1000 * Math.pow(2, attempt), 10000);
        attempt += 1;
        setTimeout(open, delay);
      };
    }
    window.addEventListener("pagehide", function () {
      stopped = true;
      if (socket) socket.close();
    });
    open();
  }

  /* Runs `load` (a promise) for the latest call only: an answer overtaken by a newer call
   * is dropped, so a slow, older answer never overwrites a newer one. */
  function latestOnly(load, apply) {
    var issued = 0;
    return function () {
      var mine = ++issued;
      return load().then(function (data) {
        if (mine === issued) apply(data);
      });
    };
  }

  function dashboard() {
    var known = {}; // task id -> {seq, state}: the newest event seen per task
    var staleRetries = 0;
    var refresh;
    var load = latestOnly(
      function () { return fetchLive(body.dataset.liveUrl); },
      function (data) {
        Object.keys(data.regions).forEach(function (name) { replaceRegion(name, data.regions[name]); });
        // A row rendered before the server saw the newest event keeps the event's state,
        // and the page asks again (a few times) until the server has caught up.
        var stale = false;
        document.querySelectorAll("[data-task-id][data-seq]").forEach(function (row) {
          var seen = known[row.dataset.taskId];
          if (!seen) return;
          if (parseInt(row.dataset.seq, 10) < seen.seq) {
            stale = true;
            row.querySelectorAll("[data-state-badge]").forEach(function (badge) {
              setStateBadge(badge, seen.state);
            });
          }
          if (seen.changed) row.classList.add("flash-update");
        });
        Object.keys(known).forEach(function (taskId) { known[taskId].changed = false; });
        if (stale && staleRetries < 5) {
          staleRetries += 1;
          refresh();
        } else {
          staleRetries = 0;
        }
      }
    );
    refresh = debounce(function () {
      load().catch(function () { /* the next event (or reconnect) refreshes again */ });
    }, 400); // a burst of events costs one refresh
    follow(body.dataset.wsPath, {
      onOpen: refresh, // catch up on whatever happened while disconnected
      onEvent: function (event) {
        if (event.type !== "task.state_changed" && event.type !== "task.submitted") return;
        var seen = known[event.task_id];
        if (!seen || event.sequence > seen.seq) {
          known[event.task_id] = { seq: event.sequence, state: event.state, changed: true };
        }
        document.querySelectorAll('[data-task-id="' + event.task_id + '"] [data-state-badge]')
          .forEach(function (badge) { setStateBadge(badge, event.state); });
        refresh();
      },
    });
  }

  function renderEvent(event) {
    var item = document.createElement("li");
    // The same class as the server's `event-{{ type|slugify }}`: "task.state_changed" → "taskstate_changed".
    item.className = "event is-new event-" + String(event.type).toLowerCase().replace(/[^a-z0-9_-]+/g, "");
    item.dataset.seq = event.sequence;
    var seq = document.createElement("span");
    seq.className = "event-seq";
    seq.textContent = "#" + event.sequence;
    var main = document.createElement("div");
    main.className = "event-body";
    var line = document.createElement("div");
    line.className = "event-line";
    var type = document.createElement("span");
    type.className = "event-type";
    type.textContent = event.type;
    line.appendChild(type);
    if (event.type === "task.state_changed") {
      var badge = document.createElement("span");
      badge.className = "badge";
      setStateBadge(badge, event.state);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(badge);
    }
    main.appendChild(line);
    if (event.message) {
      var message = document.createElement("div");
      message.className = "event-message";
      message.textContent = event.message;
      main.appendChild(message);
    }
    var time = document.createElement("time");
    time.className = "event-time";
    time.dateTime = event.created_at || "";
    var when = event.created_at ? new Date(event.created_at) : null;
    time.textContent = when && !isNaN(when) ? when.toISOString().slice(11, 19) : "";
    item.appendChild(seq);
    item.appendChild(main);
    item.appendChild(time);
    return item;
  }

  function taskPage() {
    var taskId = body.dataset.taskId;
    var timeline = document.querySelector("[data-timeline]");
    var counter = document.querySelector("[data-event-count]");
    var after = parseInt(timeline.dataset.after || "0", 10) || 0;
    var stateSeq = 0; // sequence of the newest state change streamed in
    var staleRetries = 0;
    var refresh;
    var load = latestOnly(
      function () { return fetchLive(body.dataset.liveUrl); },
      function (data) {
        if (data.sequence < stateSeq) {
          // Rendered before the server saw the newest state change: ask again shortly.
          if (staleRetries++ < 5) refresh();
          return;
        }
        staleRetries = 0;
        replaceRegion("head", data.regions.head);
        replaceRegion("details", data.regions.details);
        // Keep a half-typed answer or reason unless the state really moved on.
        var attention = document.querySelector('[data-region="attention"] .attention-region');
        if (!attention || attention.dataset.state !== data.state) {
          replaceRegion("attention", data.regions.attention);
        }
      }
    );
    refresh = debounce(function () {
      load().catch(function () { /* the next state change refreshes again */ });
    }, 200);
    follow(body.dataset.wsPath, {
      query: function () { return "?after=" + after; },
      onEvent: function (event) {
        if (event.task_id !== taskId || event.sequence <= after) return; // duplicate or replayed
        var nearBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
        timeline.appendChild(renderEvent(event));
        after = event.sequence;
        timeline.dataset.after = String(after);
        var total = timeline.children.length;
        if (counter) counter.textContent = total + (total === 1 ? " event" : " events");
        if (nearBottom) timeline.scrollTop = timeline.scrollHeight;
        if (event.type === "task.state_changed") {
          stateSeq = event.sequence;
          var badge = document.querySelector("[data-task-state]");
          if (badge) setStateBadge(badge, event.state);
          refresh();
        }
      },
    });
  }

  /* Forms: optional confirmation; no double submits. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    setTimeout(function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (button) { button.disabled = true; });
    }, 0);
  });

  // A page restored from the back/forward cache has closed sockets: load it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) location.reload();
  });

  if (body.dataset.page === "dashboard") dashboard();
  else if (body.dataset.page === "task") taskPage();
  else setStatus("offline", "");
})();
