/* Spanish search without accents (issue 26): patients type "ciatica" for "ciática", "musculo" for
   "músculo". Loaded on pages of the Spanish edition only, after lunr-languages' Spanish
   (overrides/partials/site-search.html, data-scripts), it wraps lunr.es so that accents are taken off
   each word before it is stemmed: in the index and, through the same pipeline, in what is typed
   (assets/search.js runs the typed words through the index's pipeline). A file of the Spanish
   edition (docs-es/), so the English site is the same whether Spanish is on or not. */
(function () {
  "use strict";
  var lunr = window.lunr;
  if (!lunr || !lunr.es || !lunr.es.stemmer) return;
  var spanish = lunr.es;

  function withoutAccents(token) {
    return token.update(function (text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); });
  }
  lunr.Pipeline.registerFunction(withoutAccents, "withoutAccents");

  lunr.es = function () {
    spanish.call(this);
    this.pipeline.before(spanish.stemmer, withoutAccents);
  };
  Object.keys(spanish).forEach(function (name) { lunr.es[name] = spanish[name]; });
})();
