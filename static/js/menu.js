/*
 * The phone menu. Without JavaScript the "Menu" link jumps to #main-nav, which CSS shows with
 * :target. With it, the link becomes a button (aria-expanded) that folds the menu open and shut
 * in place; Enter and Space work as on any button. On wide screens the menu is always shown and
 * the button is hidden by CSS.
 */
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (!toggle || !nav) {
    return;
  }
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");

  function set(open) {
    nav.classList.toggle("main-nav--open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }

  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      set(toggle.getAttribute("aria-expanded") !== "true");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      set(false);
      toggle.focus();
    }
  });
})();
