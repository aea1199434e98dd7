/* Search suggestions for every input[data-suggest-url] (the header search box, the search page).
 *
 * An ARIA 1.2 combobox with a listbox popup: focus stays in the input; ArrowDown/ArrowUp move the
 * active option (aria-activedescendant), Enter opens it, Escape closes the list, and a polite live
 * region announces how many suggestions there are. Without JavaScript the form simply submits to
 * the search page. No framework; suggestions come from GET /api/search/suggest?q=…&lang=….
 */
(function () {
  "use strict";

  var DELAY = 200;
  var MIN_CHARS = 1;
  var counter = 0;

  var TEXT = {
    "zh-hans": { one: "条建议，用上下方向键选择", many: "条建议，用上下方向键选择", none: "没有建议" },
    en: { one: " suggestion, use the up and down arrow keys", many: " suggestions, use the up and down arrow keys", none: "No suggestions" }
  };

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var lang = input.getAttribute("data-lang") || document.documentElement.lang || "zh-hans";
    if (lang.toLowerCase().indexOf("zh") === 0) lang = "zh-hans";
    var text = TEXT[lang] || TEXT.en;
    var id = "search-suggest-" + (++counter);
    var host = input.parentNode;
    if (window.getComputedStyle(host).position === "static") host.style.position = "relative";

    var list = document.createElement("ul");
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "Suggestions");
    list.hidden = true;
    var s = list.style;
    s.position = "absolute"; s.zIndex = "50"; s.margin = "0"; s.padding = "0"; s.listStyle = "none";
    s.background = "#fff"; s.color = "#1b2631"; s.border = "1px solid #4a5866"; s.borderRadius = "6px";
    s.boxShadow = "0 4px 12px rgba(0,0,0,.15)"; s.maxHeight = "20rem"; s.overflowY = "auto"; s.textAlign = "left";
    host.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("role", "status");
    host.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function place() {
      s.top = (input.offsetTop + input.offsetHeight + 2) + "px";
      s.left = input.offsetLeft + "px";
      s.width = Math.max(input.offsetWidth, 240) + "px";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        var on = i === index;
        options[i].setAttribute("aria-selected", on ? "true" : "false");
        options[i].style.background = on ? "#0b3a6e" : "";
        options[i].style.color = on ? "#fff" : "";
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      var item = items[index];
      if (item && item.url) window.location.assign(item.url);
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.title;
        li.style.padding = "0.45rem 0.7rem";
        li.style.cursor = "pointer";
        li.style.borderBottom = i < suggestions.length - 1 ? "1px solid #d5dce4" : "0";
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until we navigate
          go(i);
        });
        li.addEventListener("mousemove", function () { if (active !== i) highlight(i); });
        list.appendChild(li);
      });
      if (suggestions.length) {
        place();
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = suggestions.length + (suggestions.length === 1 ? text.one : text.many);
      } else {
        close();
        status.textContent = lastQuery ? text.none : "";
      }
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < MIN_CHARS) { lastQuery = ""; render([]); return; }
      if (q === lastQuery && !list.hidden) return;
      lastQuery = q;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var target = url + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang);
      fetch(target, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === q) render((data && data.suggestions) || []);
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      switch (event.key) {
        case "ArrowDown":
          if (!open) { fetchSuggestions(); return; }
          event.preventDefault();
          highlight(active + 1 >= items.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!open) return;
          event.preventDefault();
          highlight(active <= 0 ? items.length - 1 : active - 1);
          break;
        case "Enter":
          if (open && active >= 0) { event.preventDefault(); go(active); }
          break;
        case "Escape":
          if (open) { event.preventDefault(); close(); }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    window.addEventListener("resize", function () { if (!list.hidden) place(); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) setup(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
