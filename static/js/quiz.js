// Saves quiz answers while the learner works, so a lost connection loses nothing.
// Without JavaScript the "Tussendoor opslaan" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".save-status");
  var timer = null;

  function save() {
    timer = null;
    fetch(form.dataset.saveUrl, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { status.textContent = data.message; });
    }).catch(function () {
      status.textContent = form.dataset.offlineMessage || "Niet opgeslagen: geen verbinding. Probeer het zo nog eens.";
    });
  }

  form.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 2000);
    }
  });
})();
