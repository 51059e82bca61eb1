// Small enhancements only: every form and link works without this file.
"use strict";
(function () {
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Selects with data-autosubmit submit their filter form when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });
  // Inputs with data-check-url validate as the user types (server-side rules), showing the answer beside them.
  var timers = {};
  document.addEventListener("input", function (event) {
    var input = event.target;
    var url = input && input.getAttribute && input.getAttribute("data-check-url");
    if (!url) {
      return;
    }
    clearTimeout(timers[input.id]);
    timers[input.id] = setTimeout(function () {
      fetch(url + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          var out = document.getElementById(input.id + "-check");
          if (out) {
            out.textContent = body.message;
            out.className = body.ok ? "hint ok" : "hint bad";
          }
        })
        .catch(function () { /* validation happens on submit anyway */ });
    }, 250);
  });
})();
// New return: show the advice for the product typed into a line (the list is on the page already).
document.addEventListener("change", function (event) {
  "use strict";
  var input = event.target;
  var targetId = input && input.getAttribute && input.getAttribute("data-advice-for");
  var out = targetId && document.getElementById(targetId);
  if (!out) {
    return;
  }
  out.textContent = "";
  document.querySelectorAll("#product-advice li").forEach(function (item) {
    if (item.getAttribute("data-sku") === input.value.trim()) {
      out.appendChild(item.cloneNode(true));
    }
  });
});
