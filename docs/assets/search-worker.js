/* Material's search worker, taught the way patients type (issue 16).

   docs/assets/search.js makes Material start this worker instead of its own, with the address
   of Material's worker in ?material=. This file loads that worker unchanged and changes two
   things only:

   1. The query. Material looks each word up as a prefix ("walk" finds "walking"). Each word is
      now also looked up
      - as its stem: "biking" finds "bike", "stretches" finds "stretch" (the index is stemmed
        too, see `pipeline:` in mkdocs.yml);
      - when the site does not use the word, as the site's words one letter away from it
        (a letter missing, added, changed, or two swapped): "piriformus" finds "piriformis",
        "excercise" finds "exercise", "ridang" finds "riding". The site's words are read from
        the search index that Material hands this worker.
      A word found as typed matches more of these forms, so it still comes first. A query in
      lunr's own syntax (~ ^ * + - : or quotes) is left as it is.
   2. The results no longer list words as "Missing" when they were found by their stem or a
      near spelling, which Material cannot tell from a word that is not there. */
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, RESULT = 3;  // Material's message types (SearchMessageType)
  var NEAR_FROM = 5;          // letters: shorter words are one letter away from too many others
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  var known = new Set();      // every word of the site, lowercase, as written
  var material = new URL(self.location.href).searchParams.get("material");
  if (!material || new URL(material).origin !== self.location.origin) throw new Error("no search worker to load");

  var listen = self.addEventListener.bind(self);
  var post = self.postMessage.bind(self);
  var handlers = [];
  // Material's worker registers its message handler and answers with postMessage: keep both.
  self.addEventListener = function (type, fn, options) {
    if (type === "message") handlers.push(fn); else listen(type, fn, options);
  };
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && message.data.items) {
      message.data.items.forEach(function (group) {
        group.forEach(function (item) {
          Object.keys(item.terms || {}).forEach(function (term) { if (!item.terms[term]) delete item.terms[term]; });
        });
      });
    }
    post(message);
  };
  importScripts(material);

  function learn(docs) {
    docs.forEach(function (doc) {
      var text = (doc.title + " " + doc.text).replace(/<[^>]*>/g, " ").toLowerCase();
      text.split(/[^a-z]+/).forEach(function (word) { if (word.length >= NEAR_FROM - 1) known.add(word); });
    });
  }

  // The site's words one edit away from `word` (Damerau: delete, swap, change, insert a letter).
  function near(word) {
    var found = new Set();
    function check(w) { if (known.has(w)) found.add(w); }
    for (var i = 0; i <= word.length; i++) {
      var head = word.slice(0, i), tail = word.slice(i);
      if (tail) check(head + tail.slice(1));
      if (tail.length > 1) check(head + tail[1] + tail[0] + tail.slice(2));
      for (var k = 0; k < LETTERS.length; k++) {
        if (tail) check(head + LETTERS[k] + tail.slice(1));
        check(head + LETTERS[k] + tail);
      }
    }
    found.delete(word);
    return Array.from(found);
  }

  function widen(query) {
    if (/[~^*:"]|(^|\s)[+-]/.test(query)) return query;
    return query.split(/\s+/).filter(Boolean).map(function (word) {
      var forms = [word, word + "^1"];
      var plain = word.toLowerCase();
      if (/^[a-z]+$/.test(plain) && plain.length >= NEAR_FROM && !known.has(plain)) {
        near(plain).forEach(function (other) { forms.push(other + "^1"); });
      }
      return forms.join(" ");
    }).join(" ");
  }

  listen("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP && message.data && message.data.docs) learn(message.data.docs);
    if (message && message.type === QUERY && typeof message.data === "string") {
      message = { type: QUERY, data: widen(message.data) };
    }
    handlers.forEach(function (fn) { fn({ data: message }); });
  });
})();
