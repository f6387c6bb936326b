/* The site's own search (issue 24), the same whichever engine built the site.

   The index is assets/search/<language of the page>.json, written after the build by
   hooks/exercise_guide/site_search.py: one entry per page with its kind's weight, title, other
   names, body words and text. It is loaded, with lunr (assets/vendor/, and for another language
   lunr-languages' stemmer), the first time the search is opened, and nothing leaves the browser.

   How a query is looked up: each word (stop words dropped) as its stem ("stretches" finds
   "stretch"), as the start of a word ("walk" finds "walking"), and, when the site does not have
   it and it has 5 letters or more, as the site's words one letter away ("strech", "piriformus").
   A word found as typed counts ten times one found by its start or its near spelling. The title,
   other names and body words count ten times the text, the tags (category, position, equipment)
   five times; each page's kind weighs its score, a page with only some of the words typed
   counts less, and an exercise whose title or other name is exactly what was typed counts four times.

   Every word the reader sees is in the page (overrides/partials/site-search.html), not here.
   window.siteSearch.find(query) gives the results without the interface (the tests' way in). */
(function () {
  "use strict";
  var root = document.querySelector("[data-site-search]");
  if (!root) return;
  var NEAR_FROM = 5;     // letters: shorter words are one letter away from too many others
  var SNIPPET = 140;     // characters of text shown around the first word found
  var words = root.dataset;
  var button = root.querySelector(".site-search__open");
  var panel = root.querySelector(".site-search__panel");
  var form = root.querySelector(".site-search__form");
  var input = root.querySelector(".site-search__input");
  var close = root.querySelector(".site-search__close");
  var status = root.querySelector(".site-search__status");
  var list = root.querySelector(".site-search__results");
  var none = root.querySelector(".site-search__none");
  var lang = (document.documentElement.lang || "en").split("-")[0];
  var indexUrl = new URL(lang + ".json", new URL(words.indexDir, document.baseURI));
  var siteRoot = new URL("../../", indexUrl);
  var loading = null;
  var announce = 0;

  function loadScript(src) {
    return new Promise(function (done, failed) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = done;
      tag.onerror = failed;
      document.head.appendChild(tag);
    });
  }

  function build(data) {
    var docs = {};
    var index = window.lunr(function () {
      if (data.lang !== "en" && window.lunr[data.lang]) this.use(window.lunr[data.lang]);
      this.ref("url");
      this.field("title", { boost: 10 });
      this.field("names", { boost: 10 });
      this.field("words", { boost: 10 });
      this.field("tags", { boost: 5 });
      this.field("text");
      this.metadataWhitelist = ["position"];
      data.docs.forEach(function (doc) {
        docs[doc.url] = doc;
        this.add(doc, { boost: doc.boost });
      }, this);
    });
    var language = data.lang !== "en" && window.lunr[data.lang] ? window.lunr[data.lang] : window.lunr;
    return { index: index, docs: docs, stopWord: language.stopWordFilter };
  }

  function load() {
    if (!loading) {
      var scripts = words.scripts.split(/\s+/);
      loading = scripts.reduce(function (done, src) {
        return done.then(function () { return loadScript(new URL(src, document.baseURI).href); });
      }, Promise.resolve()).then(function () {
        return fetch(indexUrl.href, { credentials: "same-origin" });
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(build);
    }
    return loading;
  }

  function terms(search, query) {
    return window.lunr.tokenizer(query.replace(/\u2019/g, "'")).map(function (token) {
      return window.lunr.trimmer(token);
    }).filter(function (token) {
      return token && token.toString() && search.stopWord(token);
    }).map(String);
  }

  function plain(text) {
    return text.replace(/\u2019/g, "'").trim().toLowerCase().replace(/\s+/g, " ");
  }

  /* The pages found for `query`, best first: {url, title, kind, snippet: [[text, marked], ...]}. */
  function find(search, query) {
    var typed = terms(search, query);
    if (!typed.length) return [];
    var lunr = window.lunr;
    function clauses(q, word) {
      search.index.pipeline.runString(word).forEach(function (stem) {
        if (!stem) return;
        q.term(stem, { usePipeline: false, boost: 10 });
        if (word.length >= 3) q.term(stem, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
        if (word.length >= NEAR_FROM && !Object.prototype.hasOwnProperty.call(search.index.invertedIndex, stem)) {
          q.term(stem, { usePipeline: false, editDistance: 1 });
        }
      });
    }
    var results = search.index.query(function (q) { typed.forEach(function (word) { clauses(q, word); }); });
    if (typed.length > 1) {
      // A page with every word typed comes before one with some of them: its score is weighed by
      // the share of the words it has, squared ("numb leg": "When to get help" before "Straight leg raises").
      var has = {};
      typed.forEach(function (word) {
        search.index.query(function (q) { clauses(q, word); }).forEach(function (r) { has[r.ref] = (has[r.ref] || 0) + 1; });
      });
      results.forEach(function (r) { var share = has[r.ref] / typed.length; r.score *= share * share; });
    }
    // An exercise whose title or one of whose other names is what was typed is the page meant
    // ("Low back stretch" is the knee to chest stretch, not the page with most backs and stretches).
    // Lists stay below exercises: "Stretches" is the category's other name, but a reader who types
    // it wants stretches.
    var asked = plain(query);
    results.forEach(function (r) {
      var doc = search.docs[r.ref];
      if (doc.kind === "exercise" && [doc.title].concat(doc.names ? doc.names.split(", ") : []).map(plain).indexOf(asked) >= 0) r.score *= 4;
    });
    results.sort(function (a, b) { return b.score - a.score; });
    return results.map(function (result) {
      var doc = search.docs[result.ref];
      return { url: doc.url, title: doc.title, kind: doc.kind, score: result.score,
               snippet: snippet(doc.text, result.matchData.metadata) };
    });
  }

  /* A short part of the text around the first word found, the words found in it marked. */
  function snippet(text, metadata) {
    var spans = [];
    Object.keys(metadata).forEach(function (term) {
      var inText = metadata[term].text;
      if (inText && inText.position) spans = spans.concat(inText.position);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var start = spans.length ? Math.max(0, spans[0][0] - 40) : 0;
    if (start > 0) start = text.indexOf(" ", start) + 1;
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    var parts = [], at = start;
    spans.forEach(function (span) {
      var from = span[0], to = span[0] + span[1];
      while (to > from + 1 && /[^\w\u00C0-\u024F]/.test(text[to - 1])) to--;  // "stretches," marks "stretches"
      if (from < at || to > end) return;
      if (from > at) parts.push([text.slice(at, from), false]);
      parts.push([text.slice(from, to), true]);
      at = to;
    });
    if (at < end) parts.push([text.slice(at, end), false]);
    if (start > 0) parts.unshift(["… ", false]);
    if (end < text.length) parts.push([" …", false]);
    return parts;
  }

  function show(found) {
    list.textContent = "";
    found.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(page.url, siteRoot).href;
      link.className = "site-search__link";
      var title = document.createElement("span");
      title.className = "site-search__title";
      title.textContent = page.title;
      var kind = document.createElement("span");
      kind.className = "site-search__kind";
      kind.textContent = words["kind" + page.kind[0].toUpperCase() + page.kind.slice(1)] || words.kindPage;
      var text = document.createElement("span");
      text.className = "site-search__snippet";
      page.snippet.forEach(function (part) {
        var node = part[1] ? document.createElement("mark") : document.createTextNode(part[0]);
        if (part[1]) node.textContent = part[0];
        text.appendChild(node);
      });
      link.append(title, " ", kind, text);
      item.appendChild(link);
      list.appendChild(item);
    });
    none.hidden = found.length > 0 || !input.value.trim();
    // Said once the reader stops typing, not at every letter.
    clearTimeout(announce);
    var said = !input.value.trim() ? "" : found.length === 0 ? words.foundNone
      : found.length === 1 ? words.foundOne : words.foundOther.replace("{n}", found.length);
    announce = setTimeout(function () { status.textContent = said; }, 500);
  }

  function run() {
    var query = input.value;
    load().then(function (search) {
      if (input.value === query) show(find(search, query));
    }, function () { status.textContent = words.failed; });
  }

  function open() {
    if (!panel.hidden) { input.focus(); return; }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    input.focus();
    if (!loading) status.textContent = words.loading;
    load().then(function () { if (status.textContent === words.loading) status.textContent = ""; }, function () {
      status.textContent = words.failed;
    });
  }

  function shut(refocus) {
    if (panel.hidden) return;
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function move(by) {
    var stops = [input].concat(Array.prototype.slice.call(list.querySelectorAll("a")),
                               none.hidden ? [] : Array.prototype.slice.call(none.querySelectorAll("a")));
    var at = stops.indexOf(document.activeElement);
    var next = stops[Math.max(0, Math.min(stops.length - 1, at + by))];
    if (next) next.focus();
  }

  button.addEventListener("click", function () { if (panel.hidden) open(); else shut(true); });
  close.addEventListener("click", function () { shut(true); });
  input.addEventListener("input", run);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && panel.hidden && !editable(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    } else if (!panel.hidden && root.contains(event.target)) {
      if (event.key === "Escape") { event.preventDefault(); shut(true); }
      else if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    }
  });
  document.addEventListener("click", function (event) {
    if (!panel.hidden && !root.contains(event.target)) shut(false);
  });

  window.siteSearch = {
    ready: function () { return load().then(function () { return true; }); },
    find: function (query) { return load().then(function (search) { return find(search, query); }); }
  };
})();
