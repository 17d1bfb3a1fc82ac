// A countdown for a role-play round, started and paused by the trainer. Without JavaScript the duration
// is still shown as text.
(function () {
  "use strict";
  document.querySelectorAll("[data-timer-minutes]").forEach(function (box) {
    var total = parseInt(box.dataset.timerMinutes, 10) * 60;
    var left = total;
    var output = box.querySelector("output");
    var button = box.querySelector("button");
    var interval = null;

    function show() {
      var m = Math.floor(left / 60), s = left % 60;
      output.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    }

    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      if (interval) {
        clearInterval(interval);
        interval = null;
        button.textContent = box.dataset.labelStart;
        return;
      }
      if (left <= 0) { left = total; }
      button.textContent = box.dataset.labelPause;
      interval = setInterval(function () {
        left -= 1;
        show();
        if (left <= 0) {
          clearInterval(interval);
          interval = null;
          output.textContent = box.dataset.labelDone;
          button.textContent = box.dataset.labelStart;
        }
      }, 1000);
    });
  });
})();
