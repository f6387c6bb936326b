/* "Copy link" buttons for an exercise page and each of its sections.
   The words come from the page (.copy-link-labels, written by the exercise template);
   this file only wires them up. Without JavaScript the buttons never appear, and the
   "#" link beside each heading still gives the section's address. */
(function () {
  "use strict";
  var labels = document.querySelector(".copy-link-labels");
  if (!labels) return;
  var status = document.createElement("p");
  status.className = "copy-link-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  labels.parentNode.insertBefore(status, labels);

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

  function addButton(heading, text, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.dataset.anchor = heading.tagName === "H1" ? "" : heading.id;
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + (button.dataset.anchor ? "#" + button.dataset.anchor : "");
      copy(url).then(function () {
        status.textContent = labels.dataset.copied + " " + url;
      }, function () {
        status.textContent = labels.dataset.failed + " " + url;
      });
    });
    heading.insertAdjacentElement("afterend", button);
  }

  var article = labels.closest("article") || document;
  var title = article.querySelector("h1");
  if (title) addButton(title, labels.dataset.button, labels.dataset.page);
  article.querySelectorAll("h2[id]").forEach(function (h) {
    var name = h.textContent.replace(/#$/, "").trim();
    // A function, not a string: "$&" or "$'" in a heading must not be read as a pattern.
    addButton(h, labels.dataset.button, labels.dataset.section.replace("{section}", function () { return name; }));
  });
})();
