/* An officer's live chat (admin): /ws/chat/staff/<public id>/ (docs/chat-protocol.md). Without
   JavaScript the page still works: join, leave and send are plain form posts. */
(function () {
  "use strict";
  var root = document.getElementById("staff-chat");
  if (!root || !("WebSocket" in window)) return;
  var D = root.dataset;
  // Labels rendered by the server in the page's language: data-l-not-helpful → L.notHelpful.
  var L = {};
  Object.keys(D).forEach(function (key) {
    if (/^l[A-Z]/.test(key)) L[key.charAt(1).toLowerCase() + key.slice(2)] = D[key];
  });
  var log = root.querySelector("[data-staff-log]");
  var liveEl = root.querySelector("[data-staff-live]");
  var typingEl = root.querySelector("[data-staff-typing]");
  var statusEl = root.querySelector("[data-staff-status]");
  var errorEl = root.querySelector("[data-staff-error]");
  var form = root.querySelector("[data-staff-form]");
  var input = root.querySelector("[data-staff-input]");
  var joinForm = root.querySelector("[data-staff-join-form]");
  var joinButton = root.querySelector("[data-staff-join]");
  var lastSeq = parseInt(D.lastSeq || "0", 10) || 0;
  var joined = D.joined === "true";
  var socket = null;
  var attempts = 0;
  var lastTyping = 0;
  var typingTimer = null;
  var numberRe = /(^|[^\w-])(110|119|120|122)(?![\w-])/g;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function setJoined(value) {
    joined = value;
    joinButton.textContent = value ? L.leave : L.join;
    joinButton.classList.toggle("button-secondary", value);
    liveEl.textContent = value ? L.joined : L.notJoined;
  }

  function render(m) {
    if (!m.seq || m.seq <= lastSeq) return;
    lastSeq = m.seq;
    var kind = { citizen_message: "citizen", reply: "bot", staff_message: "staff" }[m.type] || "system";
    var who = { citizen: L.citizen, bot: L.assistant, staff: L.officer + (m.name ? " " + m.name : "") }[kind] || L.notice;
    var li = el("li", "chat-msg chat-msg--" + kind + (m.intent === "emergency" ? " chat-msg--emergency" : ""));
    li.setAttribute("data-seq", m.seq);
    li.appendChild(el("span", "chat-msg__who", who));
    var body = el("div", "chat-msg__text");
    String(m.text || "").split("\n").forEach(function (line, i) {
      if (i) body.appendChild(document.createElement("br"));
      var last = 0;
      line.replace(numberRe, function (match, before, number, offset) {
        var start = offset + before.length;
        body.appendChild(document.createTextNode(line.slice(last, start)));
        var a = el("a", "chat-tel", number);
        a.href = "tel:" + number;
        body.appendChild(a);
        last = start + number.length;
        return match;
      });
      body.appendChild(document.createTextNode(line.slice(last)));
    });
    li.appendChild(body);
    (m.sources || []).forEach(function (s) {
      var a = el("a", "chat-source", s.title || s.url);
      a.href = s.url;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
    });
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    if (kind === "citizen") typingEl.hidden = true;
  }

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(proto + "//" + window.location.host + D.wsPath + "?last_seq=" + lastSeq + "&lang=" + encodeURIComponent(D.lang || ""));
    socket.onopen = function () { attempts = 0; };
    socket.onmessage = function (event) {
      var m;
      try { m = JSON.parse(event.data); } catch (e) { return; }
      if (m.type === "welcome") {
        liveEl.textContent = joined ? L.joined : L.online;
      } else if (m.type === "status") {
        setJoined(!!m.joined);
        // The status's label in the page's language (data-l-status-*), never its code.
        var statusKey = "status" + String(m.status).charAt(0).toUpperCase() + String(m.status).slice(1);
        if (statusEl) statusEl.textContent = L[statusKey] || statusEl.textContent;
      } else if (m.type === "typing") {
        typingEl.textContent = L.typing;
        typingEl.hidden = false;
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(function () { typingEl.hidden = true; }, 4000);
      } else if (m.type === "error") {
        errorEl.textContent = m.message;
        errorEl.hidden = false;
      } else if (m.type !== "pong") {
        render(m);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      liveEl.textContent = L.offline;
      if (event.code === 4403) return;
      attempts += 1;
      window.setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts - 1)));
    };
  }

  function send(obj) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(obj)); return true; }
    return false;
  }

  joinForm.addEventListener("submit", function (event) {
    if (send({ type: joined ? "leave" : "join" })) event.preventDefault();
  });
  form.addEventListener("submit", function (event) {
    var text = input.value.trim();
    if (!text) { event.preventDefault(); return; }
    if (send({ type: "message", text: text, id: "s" + Date.now().toString(36) + Math.random().toString(36).slice(2) })) {
      event.preventDefault();
      input.value = "";
      errorEl.hidden = true;
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTyping > 2000) { lastTyping = now; send({ type: "typing" }); }
  });
  window.setInterval(function () { send({ type: "ping" }); }, 25000);
  connect();
})();
