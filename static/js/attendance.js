// The attendance page without reloads: a tap is posted in the background and the rows are updated in place
// (the page stays where it is and the focus stays on the button), and while check-in is open the list asks the
// server every few seconds who checked in with the code. Without JavaScript the buttons post the form and the
// server sends the trainer back to the same learner (an anchor); a reload shows who checked in.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-attendance]");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var message = form.querySelector("[data-live-message]");
  var busy = false;

  // Copy what the server says now into the page: the counts, and per learner the state, the buttons and signs.
  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var count = document.getElementById("aanwezigheid-telling");
    var freshCount = fresh.getElementById("aanwezigheid-telling");
    if (count && freshCount && count.innerHTML !== freshCount.innerHTML) { count.innerHTML = freshCount.innerHTML; }
    fresh.querySelectorAll(".attendee").forEach(function (row) {
      var mine = document.getElementById(row.id);
      if (!mine) { return; }
      mine.className = row.className;
      row.querySelectorAll("button[name]").forEach(function (button) {
        var own = mine.querySelector('button[name="' + button.name + '"][value="' + button.value + '"]');
        if (own) { own.setAttribute("aria-pressed", button.getAttribute("aria-pressed")); }
      });
      var signs = mine.querySelector(".attendee-signs"), freshSigns = row.querySelector(".attendee-signs");
      if (signs && freshSigns && signs.innerHTML !== freshSigns.innerHTML) { signs.innerHTML = freshSigns.innerHTML; }
    });
    var token = fresh.querySelector('input[name="csrf_token"]');
    var ownToken = form.querySelector('input[name="csrf_token"]');
    if (token && ownToken) { ownToken.value = token.value; }
    var flash = fresh.querySelector(".flash");
    return flash ? flash.textContent : "";
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.name) { return; }  // anything unusual: let the browser post the form
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var data = new FormData(form);
    data.append(button.name, button.value);
    // Show the tap at once; the answer of the server confirms it.
    var row = button.closest(".attendee");
    if (row) {
      row.querySelectorAll("button[name]").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    }
    message.textContent = form.dataset.saving;
    fetch(form.action || window.location.pathname, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { message.textContent = apply(html); })
      .catch(function () { message.textContent = form.dataset.failed; })
      .then(function () { busy = false; });
  });

  var seconds = parseInt(form.dataset.pollSeconds, 10) || 0;
  if (seconds > 0) {
    window.setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(window.location.pathname, {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (html) { apply(html); } })
        .catch(function () {})
        .then(function () { busy = false; });
    }, seconds * 1000);
  }
}());
