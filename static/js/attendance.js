// The attendance page without reloads: a tap is posted in the background and the rows are updated in place
// (the page stays where it is and the focus stays on the button), and while check-in is open the list asks the
// server every few seconds who checked in with the code. Without JavaScript the buttons post the form and the
// server sends the trainer back to the same learner (an anchor); a reload shows who checked in.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-attendance]");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var message = form.querySelector("[data-live-message]");
  var polling = false;
  var pending = 0;
  var waiting = {};  // row id -> taps on that row not yet answered: the server's older state must not undo them

  // Copy what the server says now into the page: the counts, and per learner the state, the buttons and signs.
  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var count = document.getElementById("aanwezigheid-telling");
    var freshCount = fresh.getElementById("aanwezigheid-telling");
    if (count && freshCount && count.innerHTML !== freshCount.innerHTML) { count.innerHTML = freshCount.innerHTML; }
    fresh.querySelectorAll(".attendee").forEach(function (row) {
      var mine = document.getElementById(row.id);
      if (!mine || waiting[row.id]) { return; }
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

  // Taps are sent one after the other, in the order they were made; none is dropped while another is on its way.
  var queue = Promise.resolve();

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.name) { return; }  // anything unusual: let the browser post the form
    event.preventDefault();
    // Show the tap at once; the answer of the server confirms it.
    var row = button.closest(".attendee");
    if (row) {
      row.querySelectorAll("button[name]").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    }
    message.textContent = form.dataset.saving;
    pending += 1;
    var name = button.name, value = button.value, rowId = row ? row.id : "";
    waiting[rowId] = (waiting[rowId] || 0) + 1;
    queue = queue.then(function () {
      var data = new FormData(form);  // read when sent: it carries the newest CSRF token
      data.append(name, value);
      return fetch(window.location.pathname, {method: "POST", body: data, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          waiting[rowId] -= 1;
          var said = apply(html);
          if (pending === 1) { message.textContent = said; }
        })
        .catch(function () {
          waiting[rowId] = Math.max(0, waiting[rowId] - 1);
          message.textContent = form.dataset.failed;
        })
        .then(function () { pending -= 1; });
    });
  });

  var seconds = parseInt(form.dataset.pollSeconds, 10) || 0;
  if (seconds > 0) {
    window.setInterval(function () {
      if (polling || pending > 0 || document.hidden) { return; }
      polling = true;
      fetch(window.location.pathname, {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (html && pending === 0) { apply(html); } })
        .catch(function () {})
        .then(function () { polling = false; });
    }, seconds * 1000);
  }
}());
