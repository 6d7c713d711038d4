// sanctionwatch UI: the little behaviour htmx does not give. Pages work without it.
(function () {
  "use strict";

  function fromSearchForm(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === "search-form";
  }

  // Mark the results busy while a search runs, for assistive technology and the dimmed style.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var results = document.getElementById("results");
    if (results && fromSearchForm(event)) {
      results.setAttribute("aria-busy", "true");
    }
  });

  document.addEventListener("htmx:afterRequest", function () {
    var results = document.getElementById("results");
    if (results) {
      results.removeAttribute("aria-busy");
    }
  });

  // On narrow screens the results sit below the form: bring their heading into view after a
  // search, without moving the keyboard focus (which stays in the form, or on a field in error).
  document.addEventListener("htmx:afterSettle", function (event) {
    var heading = document.getElementById("results-heading");
    if (!heading || !fromSearchForm(event) || document.querySelector("#search-form [aria-invalid]")) {
      return;
    }
    if (heading.getBoundingClientRect().top > window.innerHeight - 80) {
      heading.scrollIntoView({ block: "start" });
    }
  });
})();
