/* Runs before Material's bundle (overrides/main.html):
   - points Material's search at docs/assets/search-worker.js, which loads Material's own
     worker and widens each query (stems and one-letter misspellings);
   - when a search finds nothing, shows two links under Material's "Nothing found" line
     (the <template id="search-none-help"> of overrides/main.html): all the exercises, and
     when to get help. */
(function () {
  "use strict";
  var config = document.getElementById("__config");
  var script = document.currentScript;
  if (!config || !script) return;
  var settings = JSON.parse(config.textContent);
  if (!settings.search) return;
  var worker = new URL("search-worker.js", script.src);
  worker.searchParams.set("material", new URL(settings.search, document.baseURI).href);
  settings.search = worker.href;
  config.textContent = JSON.stringify(settings);
})();

(function () {
  "use strict";
  var help = document.getElementById("search-none-help");
  var meta = document.querySelector(".md-search-result__meta");
  var config = document.getElementById("__config");
  if (!help || !meta || !config) return;
  var none = (JSON.parse(config.textContent).translations || {})["search.result.none"];
  var links = help.content.firstElementChild.cloneNode(true);
  // In the page only while nothing is found: Material's arrow keys walk every link in the results.
  new MutationObserver(function () {
    if (meta.textContent.trim() === none) {
      if (!links.isConnected) meta.after(links);
    } else if (links.isConnected) {
      links.remove();
    }
  }).observe(meta, { childList: true, characterData: true, subtree: true });
})();
