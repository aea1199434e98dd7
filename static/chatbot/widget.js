/* The chat widget: a button that opens a chat panel talking to /ws/chat/ (docs/chat-protocol.md).
   Framework-free. Without JavaScript or WebSocket the launcher stays a link to the /chat/ page.
   Remembers the conversation across pages in sessionStorage (token, open state, last seq);
   every (re)connection asks the server for the messages after the last one it has shown. */
(function () {
  "use strict";

  var root = document.getElementById("chat-widget");
  if (!root || !("WebSocket" in window) || !window.JSON) return;
  var tpl = document.getElementById("chat-panel-template");
  if (!tpl || !tpl.content) return;
  var iconTpl = document.getElementById("chat-icon-template");

  var D = root.dataset;
  // Labels rendered by the server in the page's language: data-l-not-helpful → L.notHelpful.
  var L = {};
  Object.keys(D).forEach(function (key) {
    if (/^l[A-Z]/.test(key)) L[key.charAt(1).toLowerCase() + key.slice(2)] = D[key];
  });
  var KEY = "portal.chat.";
  var numbers = (D.emergencyNumbers || "110,119,120").split(",");
  var numberRe = new RegExp("(^|[^\\w-])(" + numbers.sort(function (a, b) { return b.length - a.length; }).join("|") + ")(?![\\w-])", "g");

  function load(name) { try { return window.sessionStorage.getItem(KEY + name); } catch (e) { return null; } }
  function save(name, value) {
    try {
      if (value === null || value === undefined) window.sessionStorage.removeItem(KEY + name);
      else window.sessionStorage.setItem(KEY + name, String(value));
    } catch (e) { /* private mode: the conversation then lasts one page */ }
  }

  var launcher = document.getElementById("chat-launcher");
  var badge = launcher.querySelector(".chat-launcher__badge");
  var panel = tpl.content.firstElementChild.cloneNode(true);
  root.appendChild(panel);
  var log = panel.querySelector("[data-chat-log]");
  var form = panel.querySelector("[data-chat-form]");
  var input = panel.querySelector("[data-chat-input]");
  var statusEl = panel.querySelector("[data-chat-status]");
  var typingEl = panel.querySelector("[data-chat-typing]");
  var announceEl = panel.querySelector("[data-chat-announce]");
  var errorEl = panel.querySelector("[data-chat-error]");
  var alertEl = panel.querySelector("[data-chat-alert]");
  var alertNumbers = panel.querySelector("[data-chat-alert-numbers]");

  // The link becomes a disclosure button for the panel (it keeps its text and position).
  launcher.setAttribute("role", "button");
  launcher.setAttribute("aria-controls", "chat-panel");
  launcher.setAttribute("aria-expanded", "false");

  var socket = null;
  var connected = false;
  var attempts = 0;
  var reconnectTimer = null;
  var token = load("token");
  var shownSeq = 0; // highest seq rendered on this page
  var seenSeq = parseInt(load("seen") || "0", 10) || 0; // highest seq the citizen has seen (any page)
  var pending = []; // messages typed but not acknowledged: resent after a reconnect (same id)
  var lastTyping = 0;
  var typingTimer = null;
  var status = load("status") || "bot";
  var unread = 0;

  function isOpen() { return !panel.hidden; }

  function uid() {
    if (window.crypto && window.crypto.getRandomValues) {
      var a = new Uint32Array(3);
      window.crypto.getRandomValues(a);
      return "c" + Array.prototype.map.call(a, function (n) { return n.toString(36); }).join("");
    }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  /* Text with emergency numbers as tel: links, built as DOM nodes (never innerHTML). */
  function richText(el, text) {
    var lines = String(text || "").split("\n");
    lines.forEach(function (line, i) {
      if (i) el.appendChild(document.createElement("br"));
      var last = 0;
      line.replace(numberRe, function (match, before, number, offset) {
        var start = offset + before.length;
        el.appendChild(document.createTextNode(line.slice(last, start)));
        var a = document.createElement("a");
        a.href = "tel:" + number;
        a.className = "chat-tel";
        a.textContent = number;
        el.appendChild(a);
        last = start + number.length;
        return match;
      });
      el.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // An inline SVG icon from the server's template (aria-hidden; the button has the label).
  function icon(name) {
    var svg = iconTpl && iconTpl.content.querySelector('[data-icon="' + name + '"] svg');
    return svg ? svg.cloneNode(true) : null;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function announce(text) {
    announceEl.textContent = "";
    window.setTimeout(function () { announceEl.textContent = text; }, 50);
  }

  function showStatus(text) {
    statusEl.textContent = text || "";
    statusEl.hidden = !text;
  }

  function showError(text) {
    errorEl.textContent = text || "";
    errorEl.hidden = !text;
  }

  function bubble(kind, who, seq) {
    var li = el("li", "chat-msg chat-msg--" + kind);
    if (seq) li.setAttribute("data-seq", seq);
    li.appendChild(el("span", "chat-msg__who", who));
    return li;
  }

  function citizenBubble(text, id) {
    var li = bubble("citizen", L.you);
    if (id) li.setAttribute("data-id", id);
    var body = el("div", "chat-msg__text");
    richText(body, text);
    li.appendChild(body);
    return li;
  }

  function disableOldChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".chat-choice"), function (b) { b.disabled = true; });
  }

  function emergencyTels(m) {
    var tels = (m.links || []).filter(function (k) { return /^tel:/.test(k.url); });
    if (!tels.length) tels = numbers.slice(0, 3).map(function (n) { return { label: n, url: "tel:" + n }; });
    return tels;
  }

  /* After an emergency reply the numbers stay pinned above the conversation (whatever is said
     next) until the citizen hides them; hidden is remembered per reply (seq) across pages. */
  function showAlert(m) {
    if (m.seq <= (parseInt(load("alertHidden") || "0", 10) || 0)) return;
    alertNumbers.textContent = "";
    emergencyTels(m).forEach(function (k) {
      var a = el("a", "chat-tel chat-tel--big", k.label);
      a.href = k.url;
      a.setAttribute("aria-label", L.call + " " + k.label);
      alertNumbers.appendChild(a);
    });
    alertEl.setAttribute("data-seq", m.seq);
    alertEl.hidden = false;
  }

  function hideAlert() {
    save("alertHidden", alertEl.getAttribute("data-seq") || 0);
    alertEl.hidden = true;
    input.focus();
  }

  function replyBubble(m) {
    var li = bubble("bot" + (m.intent === "emergency" ? " chat-msg--emergency" : ""), L.assistant, m.seq);
    var links = m.links || [];
    var tels = links.filter(function (k) { return /^tel:/.test(k.url); });
    if (m.intent === "emergency") {
      // Buttons of earlier replies can no longer be pressed: what follows an emergency starts afresh.
      disableOldChoices();
      tels = emergencyTels(m);
    }
    if (tels.length) {
      // The numbers first, large, before anything else.
      var nums = el("p", "chat-msg__numbers");
      tels.forEach(function (k) {
        var a = el("a", "chat-tel chat-tel--big", k.label);
        a.href = k.url;
        a.setAttribute("aria-label", L.call + " " + k.label);
        nums.appendChild(a);
      });
      li.appendChild(nums);
    }
    var body = el("div", "chat-msg__text");
    richText(body, m.text);
    li.appendChild(body);
    if (m.sources && m.sources.length) {
      var ul = el("ul", "chat-sources");
      ul.setAttribute("aria-label", L.sources);
      m.sources.forEach(function (s) {
        if (!s.url) return;
        var item = el("li");
        var a = el("a", "", s.title || s.url);
        a.href = s.url;
        item.appendChild(a);
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    var others = links.filter(function (k) { return !/^tel:/.test(k.url); });
    if (others.length) {
      var lu = el("ul", "chat-links");
      others.forEach(function (k) {
        var item = el("li");
        var a = el("a", "", k.label || k.url);
        a.href = k.url;
        item.appendChild(a);
        lu.appendChild(item);
      });
      li.appendChild(lu);
    }
    if (m.choices && m.choices.length) {
      disableOldChoices();
      var box = el("div", "chat-choices");
      m.choices.forEach(function (c) {
        var b = el("button", "chat-choice", c.label);
        b.type = "button";
        b.setAttribute("data-choice", c.id);
        b.addEventListener("click", function () { sendChoice(c); });
        box.appendChild(b);
      });
      li.appendChild(box);
    }
    if (m.rateable === false || m.intent === "emergency") {  // an emergency, a step of filing, tracking or handover
      return li;
    }
    var fb = el("div", "chat-feedback");
    // The question is asked in the answer's language: an English answer on a Chinese page (the
    // citizen wrote English) is not followed by a Chinese question, nor the other way round.
    var answerLang = /[\u3400-\u9fff]/.test(m.text || "") ? "zh" : "en";
    var wasHelpful = L[answerLang + "WasHelpful"] || L.wasHelpful;
    fb.appendChild(el("span", "chat-feedback__label", wasHelpful));
    fb.setAttribute("lang", answerLang === "zh" ? "zh-Hans" : "en");
    [[true, "yes", L[answerLang + "Helpful"] || L.helpful], [false, "no", L[answerLang + "NotHelpful"] || L.notHelpful]].forEach(function (v) {
      var b = el("button", "chat-feedback__button");
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
      b.title = v[2];
      b.setAttribute("data-helpful", v[1]);
      var svg = icon(v[1]);
      if (svg) b.appendChild(svg);
      b.appendChild(el("span", "visually-hidden", v[2]));
      b.addEventListener("click", function () {
        send({ type: "feedback", seq: m.seq, helpful: v[0] });
      });
      fb.appendChild(b);
    });
    li.appendChild(fb);
    return li;
  }

  function render(m) {
    var li;
    if (m.type === "citizen_message") {
      var mine = m.id ? log.querySelector('[data-id="' + (window.CSS && CSS.escape ? CSS.escape(m.id) : m.id) + '"]') : null;
      pending = pending.filter(function (p) { return p.id !== m.id; });
      if (mine) {
        mine.setAttribute("data-seq", m.seq);
        mine.classList.remove("chat-msg--pending");
        var note = mine.querySelector(".chat-msg__note");
        if (note) note.remove();
        return null;
      }
      li = citizenBubble(m.text, m.id);
      li.setAttribute("data-seq", m.seq);
    } else if (m.type === "reply") {
      li = replyBubble(m);
      if (m.intent === "emergency") showAlert(m);
    } else if (m.type === "staff_message") {
      li = bubble("staff", L.officer + (m.name ? " " + m.name : ""), m.seq);
      var body = el("div", "chat-msg__text");
      richText(body, m.text);
      li.appendChild(body);
      typingEl.hidden = true;
    } else {
      li = bubble("system", L.notice, m.seq);
      li.appendChild(el("div", "chat-msg__text", m.text));
    }
    log.appendChild(li);
    return li;
  }

  function handleStored(m) {
    if (!m.seq || m.seq <= shownSeq) return; // already on the page (a resend or a resume)
    shownSeq = m.seq;
    if (m.type === "staff_joined") setStatus("live");
    if (m.type === "staff_left") setStatus("bot");
    if (m.type === "notice" && m.event === "handover_waiting") setStatus("waiting");
    var li = render(m);
    var isNew = m.seq > seenSeq;
    if (isNew && m.type !== "citizen_message" && li) {
      if (isOpen()) announce((li.querySelector(".chat-msg__who") || {}).textContent + ": " + (m.text || ""));
      else { unread += 1; badge.textContent = String(unread); badge.hidden = false; }
    }
    if (isOpen()) markSeen();
    scrollDown();
  }

  function markSeen() {
    if (shownSeq > seenSeq) { seenSeq = shownSeq; save("seen", seenSeq); }
  }

  function setStatus(value) {
    status = value;
    save("status", value);
  }

  function onMessage(event) {
    var m;
    try { m = JSON.parse(event.data); } catch (e) { return; }
    switch (m.type) {
      case "welcome":
        if (token && m.conversation !== token) {
          // The old conversation was closed or is unknown: start on a clean page.
          Array.prototype.slice.call(log.querySelectorAll("[data-seq]")).forEach(function (n) { n.remove(); });
          shownSeq = 0; seenSeq = 0; save("seen", 0);
          alertEl.hidden = true; save("alertHidden", null);
        }
        token = m.conversation;
        save("token", token);
        setStatus(m.status);
        connected = true;
        attempts = 0;
        showStatus("");
        flushPending();
        break;
      case "typing":
        if (m.from === "staff") {
          typingEl.textContent = L.typing;
          typingEl.hidden = false;
          window.clearTimeout(typingTimer);
          typingTimer = window.setTimeout(function () { typingEl.hidden = true; }, 4000);
        }
        break;
      case "feedback_saved":
        var li = log.querySelector('[data-seq="' + m.seq + '"]');
        if (li) {
          Array.prototype.forEach.call(li.querySelectorAll(".chat-feedback__button"), function (b) {
            b.setAttribute("aria-pressed", String((b.getAttribute("data-helpful") === "yes") === m.helpful));
          });
          announce(L.thanks);
        }
        break;
      case "error":
        onError(m);
        break;
      case "pong":
        break;
      default:
        handleStored(m);
    }
  }

  function onError(m) {
    showError(m.message);
    if (m.id) {
      var p = pending.filter(function (x) { return x.id === m.id; })[0];
      pending = pending.filter(function (x) { return x.id !== m.id; });
      var li = log.querySelector('[data-id="' + m.id + '"]');
      if (li && !li.getAttribute("data-seq")) {
        li.remove();
        if (p && p.text && !input.value) input.value = p.text; // nothing typed is lost
      }
    }
  }

  function wsUrl() {
    var proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    var q = "?lang=" + encodeURIComponent(D.lang || "zh-hans") + "&last_seq=" + shownSeq;
    if (token) q += "&token=" + encodeURIComponent(token);
    return proto + "//" + window.location.host + (D.wsPath || "/ws/chat/") + q;
  }

  function connect() {
    if (socket && (socket.readyState === 0 || socket.readyState === 1)) return;
    window.clearTimeout(reconnectTimer);
    try {
      socket = new WebSocket(wsUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      connected = false;
      socket = null;
      scheduleReconnect(event.code === 4429 ? 60000 : null);
    };
  }

  function scheduleReconnect(delay) {
    showStatus(L.offline);
    attempts += 1;
    // Exponential backoff with jitter: 1 s, 2 s, 4 s … at most 30 s.
    var wait = delay || Math.min(30000, 1000 * Math.pow(2, attempts - 1)) * (0.75 + Math.random() * 0.5);
    reconnectTimer = window.setTimeout(connect, wait);
  }

  function send(obj) {
    if (socket && connected && socket.readyState === 1) {
      socket.send(JSON.stringify(obj));
      return true;
    }
    connect();
    return false;
  }

  function flushPending() {
    pending.forEach(function (p) { send(p.payload); });
  }

  function sendText(text) {
    var id = uid();
    var payload = { type: "message", text: text, id: id, lang: D.lang };
    pending.push({ id: id, text: text, payload: payload });
    var li = citizenBubble(text, id);
    li.classList.add("chat-msg--pending");
    log.appendChild(li);
    scrollDown();
    if (!send(payload)) {
      li.appendChild(el("span", "chat-msg__note", L.notSent));
    }
  }

  function sendChoice(choice) {
    disableOldChoices();
    var id = uid();
    var payload = { type: "choice", choice: choice.id, id: id, lang: D.lang };
    pending.push({ id: id, text: "", payload: payload });
    var li = citizenBubble(choice.label, id);
    li.classList.add("chat-msg--pending");
    log.appendChild(li);
    scrollDown();
    send(payload);
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("chat-widget--open");
    save("open", "1");
    unread = 0;
    badge.hidden = true;
    markSeen();
    if (!socket) { showStatus(L.connecting); connect(); }
    scrollDown();
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("chat-widget--open");
    save("open", null);
    launcher.focus();
  }

  launcher.addEventListener("click", function (event) {
    event.preventDefault();
    if (isOpen()) close(); else open();
  });
  launcher.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); launcher.click(); }
  });
  panel.querySelector("[data-chat-close]").addEventListener("click", close);
  panel.querySelector("[data-chat-alert-dismiss]").addEventListener("click", hideAlert);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.length > 2000) { showError(L.tooLong); return; }
    showError("");
    input.value = "";
    sendText(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault(); // Enter sends; Shift+Enter is a new line; IME composition is left alone
      if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if ((status === "live" || status === "waiting") && now - lastTyping > 2000) {
      lastTyping = now;
      send({ type: "typing" });
    }
  });

  // Keep the socket alive behind proxies that close idle connections.
  window.setInterval(function () { if (connected) send({ type: "ping" }); }, 25000);

  // A conversation that was open (or waiting for/with an officer) continues on this page.
  if (token && (load("open") === "1" || status === "waiting" || status === "live")) {
    if (load("open") === "1") open(); else connect();
  }
})();
