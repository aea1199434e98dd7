// The error summary above a form (templates/desk/public/_nonfield.html): focus it when the page
// opens, so keyboard and screen-reader users start at the list of problems; a link in it moves
// focus to its field and shows the field's label too. Without JavaScript the links still jump
// to the fields and the form's action URL ends in #form-errors, so the page opens at the summary.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var container = field.closest(".desk-field") || field;
    container.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
