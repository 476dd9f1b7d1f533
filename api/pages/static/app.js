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
