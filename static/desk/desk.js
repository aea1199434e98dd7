/*
 * Duty desk live updates (framework-free; the pages work without it: reload by hand).
 *
 * On the queue page (#desk-live with data-fragment-url) it opens /ws/desk/ and, whenever an
 * event arrives or a gap in event ids is seen, re-fetches the queue's HTML fragment with a
 * plain GET (events carry ids and small data, never HTML). Urgent items give a short visual
 * cue and, if the officer switched it on, a beep generated with WebAudio (no audio file).
 * On an inquiry page (data-inquiry-id) it shows a notice when that inquiry changes.
 * It reconnects with exponential backoff and shows "live" / "offline".
 */
(function () {
  "use strict";

  /* Canned replies: choosing an FAQ fills the reply box (without JS: the "Insert" button). */
  var canned = document.getElementById("id_reply-canned");
  var cannedAnswers = document.getElementById("desk-canned-answers");
  var replyText = document.getElementById("id_reply-text");
  if (canned && cannedAnswers && replyText) {
    canned.addEventListener("change", function () {
      var source = cannedAnswers.content.querySelector('[data-faq="' + canned.value + '"]');
      if (!source) {
        return;
      }
      var current = replyText.value.replace(/\s+$/, "");
      replyText.value = current ? current + "\n\n" + source.textContent : source.textContent;
      replyText.focus();
    });
  }

  /* Canned replies: typing in "Find" narrows the list at once (without JS: the "Find" button). */
  var cannedFind = document.getElementById("id_reply-find");
  var cannedCount = document.getElementById("desk-canned-count");
  if (canned && cannedAnswers && cannedFind) {
    var countLabel = cannedCount ? cannedCount.getAttribute("data-label") : null;
    cannedFind.addEventListener("input", function () {
      var words = cannedFind.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(canned.options, function (option) {
        if (!option.value) {
          return;
        }
        var answer = cannedAnswers.content.querySelector('[data-faq="' + option.value + '"]');
        var haystack = (option.text + " " + (answer ? answer.textContent + " " + answer.getAttribute("data-key") : "")).toLowerCase();
        var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
        option.hidden = !match;
        option.disabled = !match;
        if (match) {
          shown += 1;
        }
      });
      if (cannedCount && countLabel) {
        cannedCount.textContent = countLabel.replace("%(count)s", shown);
      }
    });
    cannedFind.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  /* search here, do not submit the reply */
        event.preventDefault();
      }
    });
  }

  var root = document.getElementById("desk-live");
  if (!root || !("WebSocket" in window)) {
    return;
  }

  var fragmentUrl = root.getAttribute("data-fragment-url");
  var inquiryId = root.getAttribute("data-inquiry-id");
  var statusEl = document.getElementById("desk-live-status");
  var resultsEl = document.getElementById("desk-queue-results");
  var noticeEl = document.getElementById("desk-live-notice");
  var soundToggle = document.getElementById("desk-sound-toggle");
  var labels = {
    live: root.getAttribute("data-label-live") || "Live",
    offline: root.getAttribute("data-label-offline") || "Offline",
    connecting: root.getAttribute("data-label-connecting") || "Connecting",
    signedout: root.getAttribute("data-label-signedout") || "Signed out",
  };

  var PING_MS = 20000;
  var STALE_MS = 60000;
  var MAX_BACKOFF_MS = 30000;

  var socket = null;
  // The event id the page was rendered at: a newer id in the first snapshot means something
  // happened while the socket was opening, so the list is re-fetched.
  var renderedAt = parseInt(root.getAttribute("data-last-event-id") || "", 10);
  var lastEventId = isNaN(renderedAt) ? null : renderedAt;
  var backoff = 1000;
  var pingTimer = null;
  var lastSeen = 0;
  var reconnectTimer = null;
  var refetchTimer = null;
  var refetching = false;
  var refetchAgain = false;
  var stopped = false;

  function setStatus(state) {
    if (!statusEl) {
      return;
    }
    statusEl.textContent = labels[state];
    statusEl.setAttribute("data-state", state);
    root.setAttribute("data-live-state", state);
  }

  /* Sound: off by default, remembered per browser. */
  var SOUND_KEY = "desk.sound";
  function soundOn() {
    try {
      return window.localStorage.getItem(SOUND_KEY) === "1";
    } catch (e) {
      return false;
    }
  }
  if (soundToggle) {
    soundToggle.hidden = false;
    soundToggle.setAttribute("aria-pressed", soundOn() ? "true" : "false");
    soundToggle.addEventListener("click", function () {
      var next = !soundOn();
      try {
        window.localStorage.setItem(SOUND_KEY, next ? "1" : "0");
      } catch (e) {
        /* private mode: the toggle just does not persist */
      }
      soundToggle.setAttribute("aria-pressed", next ? "true" : "false");
      if (next) {
        beep();
      }
    });
  }

  var audioContext = null;
  function beep() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) {
      return;
    }
    try {
      audioContext = audioContext || new Ctx();
      var now = audioContext.currentTime;
      var osc = audioContext.createOscillator();
      var gain = audioContext.createGain();
      osc.type = "sine";
      osc.frequency.setValueAtTime(880, now);
      osc.frequency.setValueAtTime(660, now + 0.15);
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
      osc.connect(gain);
      gain.connect(audioContext.destination);
      osc.start(now);
      osc.stop(now + 0.4);
    } catch (e) {
      /* the browser may refuse audio before a user gesture: the visual cue remains */
    }
  }

  function urgentCue() {
    root.classList.add("desk-live--urgent");
    window.setTimeout(function () {
      root.classList.remove("desk-live--urgent");
    }, 4000);
    if (soundOn()) {
      beep();
    }
  }

  function announce(text, link, linkText) {
    if (!noticeEl || !text) {
      return;
    }
    noticeEl.hidden = false;
    noticeEl.textContent = text + " ";
    if (link && link.charAt(0) === "/" && link.charAt(1) !== "/") {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = linkText || link;
      noticeEl.appendChild(a);
    }
  }

  /* Chat events: a citizen asks for an officer, or wrote something alarming. */
  function chatNotice(message) {
    var data = message.data || {};
    var text =
      message.event === "chat.emergency"
        ? root.getAttribute("data-label-chat-emergency")
        : root.getAttribute("data-label-chat-handover");
    if (data.excerpt) {
      text += " «" + data.excerpt + "»";
    }
    announce(text, data.url, root.getAttribute("data-label-open-chat"));
  }

  /* Re-fetch the list fragment; coalesce bursts of events into one request. */
  function refetch() {
    if (!fragmentUrl || !resultsEl) {
      return;
    }
    if (refetchTimer) {
      return;
    }
    refetchTimer = window.setTimeout(doRefetch, 250);
  }

  function doRefetch() {
    refetchTimer = null;
    if (refetching) {
      refetchAgain = true;
      return;
    }
    refetching = true;
    window
      .fetch(fragmentUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html", "X-Desk-Fragment": "1" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#desk-queue-results");
        if (fresh) {
          resultsEl.innerHTML = fresh.innerHTML;
        }
        var counts = holder.querySelector("#desk-queue-counts");
        var current = document.getElementById("desk-queue-counts");
        if (counts && current) {
          current.innerHTML = counts.innerHTML;
        }
        root.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () {
        /* keep the current list; the next event or reconnect tries again */
      })
      .then(function () {
        refetching = false;
        if (refetchAgain) {
          refetchAgain = false;
          refetch();
        }
      });
  }

  function handleEvent(message) {
    var id = message.id;
    var gap = lastEventId !== null && typeof id === "number" && id > lastEventId + 1;
    if (typeof id === "number" && (lastEventId === null || id > lastEventId)) {
      lastEventId = id;
    }
    var data = message.data || {};
    if (message.event === "chat.handover" || message.event === "chat.emergency") {
      chatNotice(message);
    } else if (message.event === "chat.message") {
      /* the live-chat page has its own channel; nothing to refresh here */
    } else if (inquiryId) {
      if (String(data.inquiry_id) === inquiryId || String(data.id) === inquiryId) {
        announce(root.getAttribute("data-label-changed"));
      }
    } else {
      refetch();
    }
    if (data.urgent || message.event === "chat.emergency") {
      urgentCue();
    }
    return gap;
  }

  function onMessage(raw) {
    lastSeen = Date.now();
    var message;
    try {
      message = JSON.parse(raw.data);
    } catch (e) {
      return;
    }
    if (message.type === "snapshot") {
      var latest = message.last_event_id;
      // Missed something while offline (or first connect after a reconnect): re-fetch.
      if (lastEventId !== null && typeof latest === "number" && latest !== lastEventId) {
        refetch();
      }
      lastEventId = typeof latest === "number" ? latest : lastEventId;
      setStatus("live");
      backoff = 1000;
    } else if (message.type === "event") {
      handleEvent(message);
    }
  }

  function scheduleReconnect() {
    if (reconnectTimer || stopped) {
      return;
    }
    setStatus("offline");
    var delay = Math.min(backoff, MAX_BACKOFF_MS) * (0.75 + Math.random() * 0.5);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    reconnectTimer = window.setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    setStatus("connecting");
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/desk/");
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.addEventListener("open", function () {
      lastSeen = Date.now();
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        // Signed out (or no desk access): retrying cannot help; the page says so.
        stopped = true;
        setStatus("signedout");
        return;
      }
      scheduleReconnect();
    });
    socket.addEventListener("error", function () {
      /* "close" follows and schedules the reconnect */
    });
  }

  pingTimer = window.setInterval(function () {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    if (Date.now() - lastSeen > STALE_MS) {
      // The connection is silently dead (no pong): drop it and reconnect.
      socket.close();
      return;
    }
    socket.send(JSON.stringify({ type: "ping" }));
  }, PING_MS);

  window.addEventListener("online", function () {
    if (!socket && !stopped) {
      backoff = 1000;
      if (reconnectTimer) {
        window.clearTimeout(reconnectTimer);
        reconnectTimer = null;
      }
      connect();
    }
  });
  window.addEventListener("pagehide", function () {
    window.clearInterval(pingTimer);
    if (socket) {
      socket.close();
    }
  });

  connect();
})();
