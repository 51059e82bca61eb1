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
// Product pickers (New return, Edit return): the catalog is searched as the merchant types (SKU, name,
// barcode; at most 20 matches), never sent with the page. A combobox: arrow keys move through the matches,
// Enter picks one, Escape closes the list. Without this file the field is plain text, checked on submit.
(function () {
  "use strict";
  var DELAY = 200;

  function showAdvice(input, notes) {
    var out = document.getElementById(input.getAttribute("data-advice-for"));
    if (!out) {
      return;
    }
    out.textContent = "";
    (notes || []).forEach(function (note) {
      var item = document.createElement("li");
      item.className = "advice";
      item.textContent = note;
      out.appendChild(item);
    });
  }

  function search(url, text) {
    return fetch(url + "?q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("search answered " + response.status);
      }
      return response.json();
    });
  }

  function picker(input) {
    var url = input.getAttribute("data-picker-url");
    var list = document.createElement("ul");
    // Named "Line N matches", not after the field's label: "Product N" must name the field alone.
    var line = input.labels && input.labels[0] ? input.labels[0].textContent.replace(/\D+/g, "") : "";
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    list.id = input.id + "-matches";
    list.className = "picker-matches plain";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Line " + line + " matches");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, k) {
        option.setAttribute("aria-selected", k === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var chosen = items[index];
      if (!chosen) {
        return;
      }
      input.value = chosen.sku;
      close();
      showAdvice(input, chosen.advice);
    }

    function render(found) {
      items = found;
      list.textContent = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = "No product matches";
        list.appendChild(none);
      }
      found.forEach(function (product, k) {
        var option = document.createElement("li");
        var sku = document.createElement("strong");
        option.id = list.id + "-" + k;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-sku", product.sku);
        sku.textContent = product.sku;
        option.appendChild(sku);
        option.appendChild(document.createTextNode(" " + product.name +
          (product.barcodes.length ? " · " + product.barcodes.join(", ") : "")));
        // mousedown, not click: the input keeps the focus, so the list is not closed before the pick.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(k);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      showAdvice(input, []);
      if (!text) {
        close();
        return;
      }
      timer = setTimeout(function () {
        var ticket = ++asked;
        search(url, text)
          .then(function (body) {
            if (ticket === asked && document.activeElement === input) {
              render(body.items);
            }
          })
          .catch(function () { close(); /* the SKU is still checked on submit */ });
      }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          return;
        }
        event.preventDefault();
        if (event.key === "ArrowDown") {
          highlight(active + 1 < items.length ? active + 1 : 0);
        } else {
          highlight(active > 0 ? active - 1 : items.length - 1);
        }
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // picks the product; the form is sent by a second Enter
        pick(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    // A SKU typed (or pasted) in full without picking: its advice, if it is one of the merchant's products.
    input.addEventListener("change", function () {
      var text = input.value.trim();
      if (!text || items.some(function (p) { return p.sku === text && p.advice.length === 0; })) {
        return;
      }
      search(url, text)
        .then(function (body) {
          var same = body.items.filter(function (p) { return p.sku === text; })[0];
          if (same && input.value.trim() === text) {
            showAdvice(input, same.advice);
          }
        })
        .catch(function () { /* advice is a courtesy; the SKU is checked on submit */ });
    });
  }

  document.querySelectorAll("input[data-picker-url]").forEach(picker);
})();
