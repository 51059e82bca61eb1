// The operator station's keyboard: every form works without this file; it adds focus, keys and the
// live Decision (asked from the server, which uses the same domain function as completion).
"use strict";
(function () {
  var TEXTLIKE = ["text", "number", "date", "search", "email", "password", "url", "tel"];

  function isField(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName.toLowerCase();
    return tag === "textarea" || tag === "select" || (tag === "input" && TEXTLIKE.indexOf(el.type) >= 0);
  }

  // ---- Receive: the Scan field stays focused; 1-9 picks a candidate after an ambiguous scan ----
  function receivePage(scan) {
    scan.focus();
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (!isField(target) && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        scan.focus();  // a scanner fires into the page: the keys land in Scan
      }
    }, true);
    var candidates = document.querySelectorAll("[data-key]");
    if (!candidates.length) { return; }
    var timer = null;
    scan.addEventListener("keydown", function (event) {
      clearTimeout(timer);
      if (scan.value === "" && /^[1-9]$/.test(event.key)) {
        var key = event.key;
        // a person presses one digit; a scanner sends the rest of its code within milliseconds
        timer = setTimeout(function () {
          var button = document.querySelector('[data-key="' + key + '"]');
          if (button && scan.value === key) { button.click(); }
        }, 150);
      }
    });
  }

  // ---- Process: P/F answer steps, item scans count units, Enter moves on, Ctrl+Enter completes ----
  function processPage(form) {
    var csrf = form.getAttribute("data-csrf");
    var pendingUploads = 0;
    var submitWhenDone = false;
    var message = document.createElement("p");
    message.className = "hint";
    message.setAttribute("aria-live", "polite");
    form.insertBefore(message, form.firstChild);

    function lines() { return Array.prototype.slice.call(form.querySelectorAll("section.line")); }
    function steps() { return Array.prototype.slice.call(form.querySelectorAll("fieldset.step")); }
    function answered(step) { return !!step.querySelector("input:checked"); }
    function nextStep() { return steps().filter(function (s) { return !answered(s); })[0]; }

    function markNextStep() {
      steps().forEach(function (s) { s.classList.remove("next-step"); });
      var next = nextStep();
      if (next) { next.classList.add("next-step"); }
      return next;
    }

    function nextEmptyField(after) {
      var fields = Array.prototype.slice.call(form.querySelectorAll("[data-lot], [data-expiry], input[type=file]"));
      var start = after ? fields.indexOf(after) + 1 : 0;
      for (var i = start; i < fields.length; i++) {
        var f = fields[i];
        if (f.type === "file") {
          var line = f.closest("section.line");
          if (line.querySelector("[data-lot]") && !line.querySelector("input[name^='photo_ids-']")) { return f; }
        } else if (!f.value) {
          return f;
        }
      }
      return null;
    }

    function moveOn(from) {
      var step = markNextStep();
      if (step) { step.scrollIntoView({ block: "nearest" }); if (from) { from.blur(); } return; }
      var field = nextEmptyField(from && (from.hasAttribute("data-lot") || from.hasAttribute("data-expiry") || from.type === "file") ? from : null);
      if (field) { field.focus(); } else if (from) { from.blur(); }
    }

    // live Decision per line
    var sequence = {};
    var timers = {};
    function refresh(line) {
      var id = line.getAttribute("data-line-id");
      var out = line.querySelector(".decision");
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "file" || el.name.indexOf(id) < 0) { return; }
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        params.append(el.name, el.value);
      });
      var mine = (sequence[id] || 0) + 1;
      sequence[id] = mine;
      fetch(out.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) { if (sequence[id] === mine) { out.innerHTML = html; } })
        .catch(function () { /* the decision is computed again on Complete */ });
    }
    function refreshSoon(line) {
      var id = line.getAttribute("data-line-id");
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { refresh(line); }, 120);
    }
    form.addEventListener("input", function (event) {
      var line = event.target.closest && event.target.closest("section.line");
      if (line && event.target.type !== "file") { refreshSoon(line); }
    });
    form.addEventListener("change", function (event) {
      var line = event.target.closest && event.target.closest("section.line");
      if (!line) { return; }
      if (event.target.type === "file") { upload(event.target, line); return; }
      if (event.target.type === "radio") { moveOn(null); }
      refreshSoon(line);
    });

    function answer(pass) {
      var step = nextStep();
      if (!step) { message.textContent = "Every step is answered."; return null; }
      var radio = step.querySelector('input[value="' + (pass ? "pass" : "fail") + '"]');
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      return radio;
    }

    function lineWithCode(code) {
      var wanted = code.toLowerCase();
      return lines().filter(function (l) {
        return l.getAttribute("data-codes").toLowerCase().split(" ").indexOf(wanted) >= 0;
      })[0];
    }

    function scanItem(line) {
      var qty = line.querySelector("input[type=number]");
      var max = parseInt(qty.getAttribute("max"), 10);
      var count = qty.hasAttribute("data-scanned") ? parseInt(qty.value || "0", 10) + 1 : 1;
      qty.setAttribute("data-scanned", "1");
      if (count > max) { message.textContent = "Only " + max + " expected on this line."; return; }
      qty.value = String(count);
      message.textContent = line.querySelector("h2").textContent.trim() + ": " + count + " received.";
      line.scrollIntoView({ block: "nearest" });
      refreshSoon(line);
    }

    // photos go up as soon as they are taken, so Complete only sends their ids
    function upload(input, line) {
      var files = Array.prototype.slice.call(input.files);
      var thumbs = line.querySelector("[data-thumbs]");
      var id = line.getAttribute("data-line-id");
      files.forEach(function (file) {
        var body = new FormData();
        body.append("csrf_token", csrf);
        body.append("file", file);
        pendingUploads += 1;
        fetch(input.getAttribute("data-photo-url"), { method: "POST", body: body, credentials: "same-origin" })
          .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
          .then(function (result) {
            if (!result[0]) { message.textContent = "Photo not saved: " + result[1].error.message + "."; return; }
            var img = document.createElement("img");
            img.src = result[1].url;
            img.alt = "Photo of " + line.querySelector(".sku").textContent;
            var hidden = document.createElement("input");
            hidden.type = "hidden";
            hidden.name = "photo_ids-" + id;
            hidden.value = result[1].photo_id;
            thumbs.appendChild(img);
            thumbs.appendChild(hidden);
            message.textContent = "Photo saved.";
          })
          .catch(function () { message.textContent = "Photo not saved: the connection failed; try again."; })
          .then(function () {
            pendingUploads -= 1;
            refresh(line);
            if (pendingUploads === 0 && submitWhenDone) { complete(); }
          });
      });
      input.value = "";
    }

    function complete() {
      if (pendingUploads > 0) { submitWhenDone = true; message.textContent = "Saving photos, then completing…"; return; }
      form.requestSubmit(form.querySelector('button[value="complete"]'));
    }

    // Keys typed outside a field form a burst; Enter ends it. A burst that is an item's barcode or SKU
    // is an item scan (any P/F it contained is taken back); otherwise P and F answered steps as typed.
    var burst = "";
    var undo = [];
    var lastKeyAt = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        complete();
        return;
      }
      var target = event.target;
      if (isField(target)) {
        if (event.key === "Enter" && target.form === form) { event.preventDefault(); moveOn(target); }
        return;
      }
      var now = performance.now();
      if (event.key === "Enter") {
        var line = burst.length >= 3 ? lineWithCode(burst) : null;
        if (line) {
          event.preventDefault();
          undo.forEach(function (radio) { radio.checked = false; });
          markNextStep();
          scanItem(line);
        } else if (burst.length >= 3) {
          event.preventDefault();
          message.textContent = "No line of this return has the code " + burst + ".";
        }
        burst = "";
        undo = [];
        return;
      }
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (now - lastKeyAt > 400) { burst = ""; undo = []; }
      lastKeyAt = now;
      burst += event.key;
      var key = event.key.toLowerCase();
      if (key === "p" || key === "f") {
        event.preventDefault();
        var radio = answer(key === "p");
        if (radio) { undo.push(radio); }
      } else if (key !== " ") {
        event.preventDefault();
      }
    });
    markNextStep();
  }

  // ---- Queue: arrow keys walk the list, Enter opens ----
  function arrowList(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-arrow-item]"));
    if (!items.length) { return; }
    items[0].focus();
    list.addEventListener("keydown", function (event) {
      var at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < items.length - 1) { event.preventDefault(); items[at + 1].focus(); }
      if (event.key === "ArrowUp" && at > 0) { event.preventDefault(); items[at - 1].focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.getElementById("scan");
    if (scan) { receivePage(scan); }
    var form = document.getElementById("process-form");
    if (form) { processPage(form); }
    var list = document.querySelector("[data-arrow-list]");
    if (list) { arrowList(list); }
  });
})();
