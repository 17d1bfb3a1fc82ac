// LTI pages inside a learning platform's iframe.
// 1. /lti/login: can this frame keep cookies? Then go on here; otherwise show the "new window" link only.
// 2. Deep linking: send the chosen items back to the platform (the button does the same without JavaScript).
(function () {
  "use strict";
  var check = document.getElementById("lti-cookie-check");
  if (check) {
    var secure = window.location.protocol === "https:";
    var attributes = "; path=/" + (secure ? "; SameSite=None; Secure; Partitioned" : "");
    document.cookie = "lti_cookie_check=1" + attributes;
    if (document.cookie.indexOf("lti_cookie_check=1") !== -1) {
      document.cookie = "lti_cookie_check=; expires=Thu, 01 Jan 1970 00:00:00 GMT" + attributes;
      window.location.replace(check.dataset.next);
    } else {
      document.getElementById("lti-checking").hidden = true;
      document.getElementById("lti-blocked").hidden = false;
      document.getElementById("lti-continue").hidden = true;
    }
  }
  var form = document.getElementById("lti-auto-submit");
  if (form) {
    form.submit();
  }
})();
// 3. Dynamic Registration done: tell the platform it may close the registration window.
(function () {
  "use strict";
  if (document.getElementById("lti-registered")) {
    (window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");
  }
})();
