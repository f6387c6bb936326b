/* "Copy link to this exercise": the one copy control of an exercise page.
   The button and its status line are in the page from the start (the exercise template), so
   nothing moves when this runs: without JavaScript the button keeps its place, unseen
   (extra.css, .no-js), and each heading's "#" link still gives a section's address.
   The words come from the button's data- attributes; this file only wires them up. */
(function () {
  "use strict";
  var button = document.querySelector("button.copy-link");
  var status = document.querySelector(".copy-link-status");
  if (!button || !status) return;

  function copy(url) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(url);
    }
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var ok = document.execCommand && document.execCommand("copy");
    document.body.removeChild(field);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  button.addEventListener("click", function () {
    var url = location.origin + location.pathname;
    copy(url).then(function () {
      status.textContent = button.dataset.copied + " " + url;
    }, function () {
      status.textContent = button.dataset.failed + " " + url;
    });
  });
})();
