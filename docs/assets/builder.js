/* The home-program builder (docs/builder.md). No libraries, and no request but one:
   assets/exercises.json from this site, which the build makes from exercises.yml.

   The words all come from the page (its templates and data- attributes) or from the JSON;
   this file only puts them together. The program lives in the address, nowhere else:
     #p=slug:repeat:hold:sets:times-a-day:minutes,slug:...&note=URL-encoded%20text
   An empty field means "not set". Unknown exercises and numbers that make no sense are
   left out or replaced by the exercise's own amount, so a damaged link still opens. */
(function () {
  "use strict";
  var page = document.getElementById("builder-words");
  var script = document.currentScript || document.querySelector("script[src$='builder.js']");
  if (!page || !script) return;

  var FIELDS = ["repetitions", "hold_seconds", "sets", "times_per_day", "minutes"];
  var MAX_COUNT = 1000;   // a number with more digits is no amount at all
  // The most of each amount (model.LIMITS, in exercises.json): a link's or a typed larger one is that most.
  function most(field) { return (data && data.limits && data.limits[field]) || MAX_COUNT; }
  var MAX_NOTE = 300;     // as the note's maxlength in builder.md
  var words = page.dataset;
  var byId = function (id) { return document.getElementById(id); };
  var ui = {
    text: byId("builder-text"), category: byId("builder-category"),
    position: byId("builder-position"), equipment: byId("builder-equipment"),
    count: byId("builder-count"), noMatch: byId("builder-no-match"), choices: byId("builder-choices"),
    empty: byId("builder-empty"), program: byId("builder-program"), note: byId("builder-note"),
    copy: byId("builder-copy"), print: byId("builder-print-button"), status: byId("builder-status"),
    fallback: byId("builder-fallback"), link: byId("builder-link"), sheet: byId("builder-print"),
    safety: byId("builder-safety"), error: byId("builder-error")
  };
  var data = null;
  var bySlug = new Map();
  var choiceOf = new Map();     // slug -> its <li> in the list to pick from
  var state = { items: [], note: "" };

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function clone(id) {
    return byId(id).content.firstElementChild.cloneNode(true);
  }

  function slot(root, name) {
    return root.querySelector("[data-slot='" + name + "']");
  }

  function fill(list, texts) {
    list.textContent = "";
    texts.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
  }

  // --- the address -------------------------------------------------------------------------

  function count(text, fallback, field) {
    if (text === undefined) return fallback;
    if (text === "") return null;
    if (/^\d{1,4}$/.test(text)) {
      var n = parseInt(text, 10);
      if (n >= 1 && n <= MAX_COUNT) return Math.min(n, most(field));
    }
    return fallback;
  }

  function defaults(exercise) {
    var dose = {};
    FIELDS.forEach(function (f) { dose[f] = exercise.dosage[f] || null; });
    return dose;
  }

  // A broken escape (a lone %E2, an edited link) loses only itself: every run of escapes is
  // read as UTF-8 on its own, and what does not make a character is left out, as is an escape
  // cut off at the end of the link. Any other % stays as typed ("50% effort").
  function decode(text) {
    text = text.replace(/\+/g, " ");
    try { return decodeURIComponent(text); } catch (e) { /* read it run by run below */ }
    return text.replace(/%[0-9A-Fa-f]?$/, "").replace(/(?:%[0-9A-Fa-f]{2})+/g, function (run) {
      var bytes = new Uint8Array(run.length / 3);
      for (var i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(run.substr(i * 3 + 1, 2), 16);
      return new TextDecoder("utf-8").decode(bytes).replace(/\uFFFD/g, "");
    });
  }

  // A note as it may be kept: no characters that turn text around (U+202E makes "yad a semit 0001"
  // print as "1000 times a day"), no half of a character, at most MAX_NOTE characters (not
  // UTF-16 units: a cut there can split an emoji, and encodeURIComponent throws on the half), and
  // never inside what shows as one character: a flag (two code points) or a family (joined by U+200D)
  // is kept whole or left out whole.
  var BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  var HALF = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  var GRAPHEMES = typeof Intl === "object" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function cleanNote(text) {
    var clean = String(text).replace(BIDI, "").replace(HALF, "$1");
    if (Array.from(clean).length <= MAX_NOTE) return clean;
    if (!GRAPHEMES) return Array.from(clean).slice(0, MAX_NOTE).join("");
    var kept = "";
    var points = 0;
    for (var part of GRAPHEMES.segment(clean)) {
      points += Array.from(part.segment).length;
      if (points > MAX_NOTE) break;
      kept += part.segment;
    }
    return kept;
  }

  // Each part of the link is read on its own: one that cannot be read is left out, and the
  // rest of the program (and the page) still works.
  function readHash(hash) {
    var next = { items: [], note: "" };
    String(hash).replace(/^#/, "").split("&").forEach(function (pair) {
      try { readPair(pair, next); } catch (e) { /* a part that cannot be read is left out */ }
    });
    return next;
  }

  function readPair(pair, next) {
    var at = pair.indexOf("=");
    if (at < 0) return;
    var key = pair.slice(0, at);
    var value = pair.slice(at + 1);
    if (key === "note") {
      next.note = cleanNote(decode(value) || "");
    } else if (key === "p") {
      // Slugs and numbers need no encoding, but a mail program may have encoded the , and : anyway.
      value.replace(/%2C/gi, ",").replace(/%3A/gi, ":").split(",").forEach(function (part) {
        try { readPart(part, next); } catch (e) { /* this exercise is left out, not the others */ }
      });
    }
  }

  function readPart(part, next) {
    var bits = part.split(":").map(decode);
    var exercise = bySlug.get(bits[0]);
    if (!exercise || next.items.some(function (it) { return it.slug === exercise.slug; })) return;
    var dose = defaults(exercise);
    FIELDS.forEach(function (f, i) { dose[f] = count(bits[i + 1], dose[f], f); });
    next.items.push({ slug: exercise.slug, dose: dose });
  }

  function itemCode(it) {
    return [it.slug].concat(FIELDS.map(function (f) { return it.dose[f] === null ? "" : it.dose[f]; })).join(":");
  }

  // The link to the guided mode on the exercise's own page, with these amounts (do-it-with-me.js reads #p=).
  function withMeLink(li, it) {
    var link = slot(li, "with-me");
    link.href = new URL(bySlug.get(it.slug).url, new URL("../", script.src)).href + "#p=" + itemCode(it);
    link.setAttribute("aria-label", say(words.withMeLabel, { title: bySlug.get(it.slug).title }));
  }

  function hash() {
    var parts = [];
    if (state.items.length) parts.push("p=" + state.items.map(itemCode).join(","));
    if (state.note) parts.push("note=" + encodeURIComponent(cleanNote(state.note)));
    return parts.length ? "#" + parts.join("&") : "";
  }

  function address() {
    return location.origin + location.pathname + hash();
  }

  // Each change replaces the address (the back button leaves the page rather than undoing).
  function save() {
    history.replaceState(history.state, "", location.pathname + location.search + hash());
    drawSheet();
  }

  // --- the list to pick from ---------------------------------------------------------------

  function options(select, values) {
    values.slice().sort(function (a, b) { return a.title.localeCompare(b.title, "en"); }).forEach(function (v) {
      var option = document.createElement("option");
      option.value = v.key;
      option.textContent = v.title;
      select.appendChild(option);
    });
  }

  function unique(lists) {
    var seen = new Map();
    lists.forEach(function (list) { list.forEach(function (v) { seen.set(v, { key: v, title: v }); }); });
    return Array.from(seen.values());
  }

  function categoryTitle(key) {
    var found = data.categories.filter(function (c) { return c.key === key; })[0];
    return found ? found.title : key;
  }

  function buildChoices() {
    options(ui.category, data.categories.map(function (c) { return { key: c.key, title: c.title }; }));
    options(ui.position, unique(data.exercises.map(function (e) { return [e.position]; })));
    options(ui.equipment, unique(data.exercises.map(function (e) { return e.equipment; })));
    var root = new URL("../", script.src);
    data.exercises.forEach(function (e) {
      var li = clone("builder-choice");
      var title = slot(li, "title");
      title.textContent = e.title;
      title.href = new URL(e.url, root).href;
      slot(li, "picture").src = new URL(e.picture, root).href;
      slot(li, "summary").textContent = e.summary;
      slot(li, "category").textContent = categoryTitle(e.category);
      slot(li, "position").textContent = e.position;
      slot(li, "equipment").textContent = e.equipment_text;
      var button = li.querySelector("button");
      button.dataset.slug = e.slug;
      li.dataset.search = [e.title, e.summary, categoryTitle(e.category), e.position]
        .concat(e.equipment, e.also_called || [], e.body_words || []).join(" ").toLowerCase();
      choiceOf.set(e.slug, li);
      ui.choices.appendChild(li);
    });
  }

  function filter() {
    var terms = ui.text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    data.exercises.forEach(function (e) {
      var li = choiceOf.get(e.slug);
      var match = terms.every(function (t) { return li.dataset.search.indexOf(t) >= 0; }) &&
        (!ui.category.value || e.category === ui.category.value) &&
        (!ui.position.value || e.position === ui.position.value) &&
        (!ui.equipment.value || e.equipment.indexOf(ui.equipment.value) >= 0);
      li.hidden = !match;
      if (match) shown += 1;
    });
    ui.noMatch.hidden = shown > 0;
    ui.count.textContent = say(words.count, { shown: shown, total: data.exercises.length });
  }

  function drawToggles() {
    choiceOf.forEach(function (li, slug) {
      var picked = state.items.some(function (it) { return it.slug === slug; });
      var button = li.querySelector("button");
      var title = bySlug.get(slug).title;
      button.textContent = picked ? words.remove : words.add;
      button.setAttribute("aria-label", say(picked ? words.removeLabel : words.addLabel, { title: title }));
      button.classList.toggle("builder-button--main", !picked);
      li.classList.toggle("builder-choice--picked", picked);
    });
  }

  // --- the program -------------------------------------------------------------------------

  function drawProgram() {
    ui.program.textContent = "";
    state.items.forEach(function (it) {
      var e = bySlug.get(it.slug);
      var li = clone("builder-item");
      li.dataset.slug = it.slug;
      slot(li, "title").textContent = e.title;
      slot(li, "legend").textContent = say(words.legend, { title: e.title });
      slot(li, "how-often").textContent = e.dosage.how_often;
      FIELDS.forEach(function (f) {
        var input = li.querySelector("input[data-field='" + f + "']");
        input.id = "dose-" + it.slug + "-" + f;
        input.value = it.dose[f] === null ? "" : it.dose[f];
        li.querySelector("label[data-field='" + f + "']").htmlFor = input.id;
      });
      var remove = li.querySelector(".builder-remove");
      remove.dataset.slug = it.slug;
      remove.textContent = words.remove;
      remove.setAttribute("aria-label", say(words.removeLabel, { title: e.title }));
      withMeLink(li, it);
      ui.program.appendChild(li);
    });
    ui.empty.hidden = state.items.length > 0;
    if (ui.note.value !== state.note) ui.note.value = state.note;
  }

  function drawSheet() {
    var sheet = ui.sheet;
    var note = slot(sheet, "note");
    note.textContent = state.note;
    // The note is the clinician's words, set apart and labelled so, never read as the guide's.
    (slot(sheet, "note-box") || note).hidden = !state.note;
    slot(sheet, "empty").hidden = state.items.length > 0;
    var items = slot(sheet, "items");
    items.textContent = "";
    var cited = new Set();
    state.items.forEach(function (it) {
      var e = bySlug.get(it.slug);
      var part = clone("builder-print-item");
      slot(part, "title").textContent = e.title;
      slot(part, "picture").src = new URL(e.picture, new URL("../", script.src)).href;
      slot(part, "equipment").textContent = e.equipment_text;
      slot(part, "position").textContent = e.position;
      slot(part, "how-often").textContent = e.dosage.how_often;
      FIELDS.forEach(function (f) {
        var line = part.querySelector("li[data-field='" + f + "']");
        var n = it.dose[f];
        if (n === null) { line.remove(); return; }
        slot(line, "value").textContent = n;
        line.querySelectorAll("[data-plural]").forEach(function (w) {
          if (w.dataset.plural !== (n === 1 ? "one" : "many")) w.remove();
        });
        var perSide = slot(line, "per-side");
        if (perSide && !e.dosage.per_side) perSide.remove();
      });
      var doseNote = slot(part, "dose-note");
      if (e.dosage.note) doseNote.textContent = e.dosage.note; else doseNote.remove();
      fill(slot(part, "steps"), e.steps);
      fill(slot(part, "do"), e.do);
      fill(slot(part, "avoid"), e.avoid);
      e.cites.forEach(function (key) { cited.add(key); });
      items.appendChild(part);
    });
    data.emergency.cites.forEach(function (key) { cited.add(key); });
    var sources = slot(sheet, "sources");
    sources.textContent = "";
    Object.keys(data.references).forEach(function (key) {
      if (!cited.has(key)) return;
      var ref = data.references[key];
      var li = clone("builder-source");
      ["label", "authors", "title", "publisher", "year"].forEach(function (k) { slot(li, k).textContent = ref[k]; });
      sources.appendChild(li);
    });
    sources.hidden = sources.previousElementSibling.hidden = cited.size === 0;
    slot(sheet, "link").textContent = address();
  }

  // When to get help now, on paper: the number and place are the clinic's (exercises.yml).
  function drawEmergency() {
    var help = data.emergency;
    slot(ui.sheet, "call").textContent = say(words.call, { number: help.number, place: help.place });
    fill(slot(ui.sheet, "emergency"), help.signs);
    slot(ui.sheet, "help-link").textContent = new URL(help.url, new URL("../", script.src)).href;
  }

  function drawAll() {
    drawProgram();
    drawToggles();
    drawSheet();
  }

  // --- what a person does ------------------------------------------------------------------

  function toggle(slug) {
    var at = state.items.findIndex(function (it) { return it.slug === slug; });
    var e = bySlug.get(slug);
    if (at >= 0) {
      state.items.splice(at, 1);
      ui.status.textContent = say(words.removed, { title: e.title });
    } else {
      state.items.push({ slug: slug, dose: defaults(e) });
      ui.status.textContent = say(words.added, { title: e.title });
    }
    drawProgram();
    drawToggles();
    save();
    return at;
  }

  function onChoice(event) {
    var button = event.target.closest("button[data-slug]");
    if (button) toggle(button.dataset.slug);
  }

  function onRemove(event) {
    var button = event.target.closest(".builder-remove");
    if (!button) return;
    var at = toggle(button.dataset.slug);
    // Focus stays in the program: on the next exercise's button, or on the heading when none is left.
    var buttons = ui.program.querySelectorAll(".builder-remove");
    var next = buttons[Math.min(at, buttons.length - 1)];
    var heading = byId("program");
    if (next) {
      next.focus();
    } else if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function onDose(event) {
    var input = event.target;
    if (!input.matches("input[data-field]")) return;
    var item = state.items.filter(function (it) { return it.slug === input.closest("li").dataset.slug; })[0];
    if (!item) return;
    var n = input.valueAsNumber;
    var field = input.dataset.field;
    item.dose[field] = Number.isInteger(n) && n >= 1 && n <= MAX_COUNT ? Math.min(n, most(field)) : null;
    withMeLink(input.closest("li"), item);
    save();
  }

  function onNote() {
    state.note = cleanNote(ui.note.value);
    save();
  }

  function copied(ok, url) {
    ui.status.textContent = ok ? words.copied : words.copyFailed;
    ui.link.value = url;
    ui.fallback.hidden = ok;
    if (!ok) { ui.link.focus(); ui.link.select(); }
  }

  function onCopy() {
    var url = address();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { copied(true, url); }, function () { copied(false, url); });
    } else {
      copied(false, url);
    }
  }

  // A pasted or edited link brings its program. A jump to a heading (#pick) is not a program:
  // the program stays, and goes back into the address at the next change.
  function onHashChange() {
    var h = location.hash.replace(/^#/, "");
    if (h && !/(^|&)(p|note)=/.test(h)) return;
    state = readHash(location.hash);
    drawAll();
  }

  // The link is read after the buttons work: whatever is in it, Add, Remove, the note and Copy do.
  function readLink() {
    try {
      state = readHash(location.hash);
    } catch (e) {
      state = { items: [], note: "" };
    }
    drawAll();
  }

  function start(json) {
    data = json;
    data.exercises.forEach(function (e) { bySlug.set(e.slug, e); });
    byId("builder-item").content.querySelectorAll("input[data-field]").forEach(function (input) {
      input.max = String(most(input.dataset.field));
    });
    fill(ui.safety, data.safety);
    fill(slot(ui.sheet, "safety"), data.safety);
    drawEmergency();
    buildChoices();
    filter();
    [ui.text, ui.category, ui.position, ui.equipment].forEach(function (el) {
      el.addEventListener("input", filter);
      el.addEventListener("change", filter);
    });
    ui.choices.addEventListener("click", onChoice);
    ui.program.addEventListener("click", onRemove);
    ui.program.addEventListener("input", onDose);
    ui.note.addEventListener("input", onNote);
    ui.copy.addEventListener("click", onCopy);
    ui.print.addEventListener("click", function () { window.print(); });
    window.addEventListener("hashchange", onHashChange);
    readLink();
  }

  fetch(new URL("exercises.json", script.src).href, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(start, function () { ui.error.hidden = false; });
})();
