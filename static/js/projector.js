// The check-in code on the projector stays current without reloading the page: just after the code changes
// (the server says when, in data-reload-in) and every 10 seconds for the count of who is there, the page asks
// the server for itself and swaps the code and the count. Without JavaScript a <noscript> refresh does this.
(function () {
  "use strict";
  var main = document.querySelector("[data-projector]");
  if (!main || !window.fetch || !window.DOMParser) { return; }

  function schedule(seconds) {
    window.setTimeout(refresh, Math.max(1, Math.min(10, seconds)) * 1000);
  }

  function refresh() {
    fetch(window.location.pathname, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) { schedule(10); return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-projector]");
        if (!fresh) { schedule(10); return; }
        if (fresh.innerHTML !== main.innerHTML) { main.innerHTML = fresh.innerHTML; }
        schedule(parseInt(fresh.dataset.reloadIn, 10) || 10);
      })
      .catch(function () { schedule(10); });
  }

  schedule(parseInt(main.dataset.reloadIn, 10) || 10);
}());
