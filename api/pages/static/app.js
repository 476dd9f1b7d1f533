// Light enhancement only: every page works without it.
// Its words come from the page (data-sending, data-offline), so they stay in the catalogue.
// A form marked data-once is sent once per tap: the button is disabled while it is sent. The
// page gave the form its event id, so sending it again after a lost answer stores nothing twice.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
      return;
    }
    var status = form.querySelector(".sending");
    if (!navigator.onLine) {
      event.preventDefault();
      if (status) {
        status.textContent = form.getAttribute("data-offline") || "";
      }
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      window.setTimeout(function () { button.disabled = false; }, 8000);
    }
    if (status) {
      status.textContent = form.getAttribute("data-sending") || "";
    }
  });
})();

// A date that must lie after another (a lease after its start): the browser says so before
// sending; the server checks it again.
(function () {
  "use strict";
  function oneDayAfter(value) {
    var day = new Date(value + "T12:00:00Z");
    if (isNaN(day.getTime())) { return ""; }
    day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString().slice(0, 10);
  }
  function follow(input) {
    var start = document.getElementById(input.getAttribute("data-after"));
    if (!start) { return; }
    var update = function () { input.min = oneDayAfter(start.value) || "1900-01-01"; };
    start.addEventListener("change", update);
    update();
  }
  document.querySelectorAll("input[data-after]").forEach(follow);
})();

// A national id: 11 digits whose two mod-11 control digits hold (the server checks it again).
(function () {
  "use strict";
  function valid(digits) {
    if (!/^\d{11}$/.test(digits)) { return false; }
    var d = digits.split("").map(Number);
    var w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2], w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    var k1 = 11 - w1.reduce(function (s, w, i) { return s + w * d[i]; }, 0) % 11;
    if (k1 === 11) { k1 = 0; }
    var k2 = 11 - w2.reduce(function (s, w, i) { return s + w * d[i]; }, 0) % 11;
    if (k2 === 11) { k2 = 0; }
    return k1 === d[9] && k2 === d[10];
  }
  document.querySelectorAll("input[data-national-id]").forEach(function (input) {
    input.addEventListener("input", function () {
      var digits = input.value.replace(/\s+/g, "");
      var wrong = digits !== "" && digits.length >= 11 && !valid(digits);
      input.setCustomValidity(wrong ? input.getAttribute("data-national-id") : "");
    });
  });
})();

// A form drawn again after a refusal: its message gets the focus, so it is seen and read out.
(function () {
  "use strict";
  var message = document.querySelector("[data-focus]");
  if (message) {
    message.focus();
    (message.closest("details, section, form") || message).scrollIntoView();
  }
})();

// The dwelling picker says whether each dwelling is free on the day chosen in the same form.
(function () {
  "use strict";
  var list = document.getElementById("boliger");
  if (!list) { return; }
  function shown(day) {
    var parts = day.split("-");
    return parts.length === 3 ? parts[2] + "." + parts[1] + "." + parts[0] : day;
  }
  function relabel(day) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) { return; }
    list.querySelectorAll("option").forEach(function (option) {
      var taken = (option.getAttribute("data-taken") || "").split(" ").some(function (span) {
        var ends = span.split("/");
        return ends.length === 2 && ends[0] <= day && day < ends[1];
      });
      var word = list.getAttribute(taken ? "data-occupied" : "data-free");
      var label = option.textContent;
      var base = label.slice(0, label.lastIndexOf(" · "));
      option.textContent = base + " · " + word + " " + shown(day);
    });
  }
  document.querySelectorAll("input[list=boliger]").forEach(function (input) {
    var form = input.form;
    var on = form && form.querySelector("input[name=on]");
    if (!on) { return; }
    var follow = function () { relabel(on.value); };
    on.addEventListener("change", follow);
    input.addEventListener("focus", follow);
  });
})();
