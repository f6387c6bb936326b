/* "Do it with me": a guided mode on each exercise page. One step at a time in large type,
   the time ("2 of 5") and the side, a countdown of the exercise's own hold, a short sound and
   a buzz at the end of each hold, and a screen-reader message for each time and each hold.

   Everything it shows comes from the site: the words from the file named by .with-me's
   data-words (one file for every page, made from a template), the steps and amounts from the
   page's JSON block (written by the build from exercises.yml). Opened from a home program, the amounts are the ones in the
   address, in the builder's own form: #p=slug:repeat:hold:sets:times-a-day:minutes (see
   builder.js); an empty field means "not set", a missing or wrong one keeps the page's amount, and
   one above the most exercises.yml allows (the page's data.limits, model.LIMITS) is that most.
   The screens are made one at a time as they are shown, never all in advance: whatever the
   amounts, opening the mode costs the same.

   Nothing is stored, and nothing is fetched once the page has loaded: the sound is made here
   (Web Audio), so the mode works offline once the page is loaded. The screen is kept on (Screen Wake Lock) where the
   browser allows it. Without JavaScript the page has no button (a <noscript> stylesheet hides it). */
(function () {
  "use strict";
  var root = document.querySelector(".with-me");
  if (!root) return;
  var opener = root.querySelector(".with-me__open");
  var data;
  try { data = JSON.parse(root.querySelector(".with-me__data").textContent); } catch (e) { data = null; }
  if (!opener || !data || typeof HTMLDialogElement !== "function") { root.hidden = true; return; }

  var FIELDS = ["repetitions", "hold_seconds", "sets", "times_per_day", "minutes"];  // builder.js's order
  var MAX_COUNT = 1000;
  var words = null;       // fetched as the page loads (assets/do-it-with-me-words.json)
  var ui = null;          // the dialog's parts, made at the first opening
  var session = null;     // the screens of this opening: session.length, session.screen(i)
  // Steps without a hold go on by themselves at a calm pace the reader can change (issue 23):
  // about 20 taps for wall squats otherwise. Next still works at any time.
  var PACES = [2, 3, 4, 5, 6, 8, 10];
  var pace = 4;           // seconds a step
  var pictures = [].slice.call(document.querySelectorAll(".exercise-figure svg"));
  var screen = null;      // the one shown
  var at = 0;
  var timer = { left: 0, end: 0, handle: null, paused: false, total: 0 };
  var sound = true;
  var buzz = true;
  var audio = null;
  var wakeLock = null;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // --- the amounts: the page's own, or the home program's -----------------------------------

  // One amount of a program link, read as builder.js reads it: "" is "not set", and a missing
  // or impossible number keeps the page's own.
  function count(text, fallback, field) {
    if (text === "") return null;
    var n = /^\d{1,4}$/.test(text || "") ? Number(text) : 0;
    var most = (data.limits && data.limits[field]) || MAX_COUNT;
    return n >= 1 && n <= MAX_COUNT ? Math.min(n, most) : fallback;
  }

  function amounts() {
    var dose = {};
    FIELDS.forEach(function (f) { dose[f] = data.dosage[f] || null; });
    var fromProgram = false;
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (pair.slice(0, 2) !== "p=") return;
      pair.slice(2).replace(/%2C/gi, ",").replace(/%3A/gi, ":").split(",").forEach(function (part) {
        var bits = part.split(":");
        if (bits[0] !== data.slug || fromProgram) return;
        fromProgram = true;
        FIELDS.forEach(function (f, i) { dose[f] = count(bits[i + 1], dose[f], f); });
      });
    });
    return { dose: dose, fromProgram: fromProgram };
  }

  // --- the session: its parts, each making its screens on demand ---------------------------

  // A part is {n: how many screens, at: function (k) -> the k-th of them}. There are a few parts
  // (intro, getting ready, each side, the end), however many repetitions and sets there are.
  function plan(dose) {
    var steps = data.steps;
    var reps = dose.repetitions || 1;
    var sets = dose.sets || 1;
    var seconds = dose.hold_seconds || (dose.minutes ? dose.minutes * 60 : 0);
    var minutes = !dose.hold_seconds && !!dose.minutes;
    // A program may give a hold to an exercise that has none: it is counted on the first repeated step.
    var timed = data.timer !== null ? data.timer : data.repeat[0];
    var sides = !data.per_side ? [null] :
      (data.sides.length === 2 ? data.sides : [words.firstSide, words.otherSide]);
    var each = data.repeat.length;
    var auto = !seconds;    // no hold and no minutes: the steps go on by themselves
    var parts = [{ n: 1, at: function () { return { kind: "intro" }; } }];
    parts.push({ n: data.before.length, at: function (k) {
      return { text: steps[data.before[k]], label: words.getReady, step: data.before[k] };
    } });
    sides.forEach(function (side, s) {
      if (s > 0) {
        var change = say(words.changeSides, { side: side });
        if (data.after.length) {
          parts.push({ n: data.after.length, at: function (k) {
            return { text: steps[data.after[k]], label: change, side: side, step: data.after[k] };
          } });
        } else {
          parts.push({ n: 1, at: function () { return { text: change, side: side }; } });
        }
        // Each side its own set-up: the set-up steps that read differently on this side.
        var setUp = data.before.filter(function (i) { return data.other_side[i]; });
        parts.push({ n: setUp.length, at: function (k) {
          return { text: data.other_side[setUp[k]], label: words.getReady, side: side, step: setUp[k] };
        } });
      }
      parts.push({ n: sets * reps * each, at: function (k) {
        var i = data.repeat[k % each];
        var rep = Math.floor(k / each) % reps + 1;
        var set = Math.floor(k / (each * reps)) + 1;
        return {
          text: (s > 0 && data.other_side[i]) || steps[i], side: side, newRep: k % each === 0,
          rep: dose.repetitions ? rep : 0, reps: reps, set: sets > 1 ? set : 0, sets: sets,
          seconds: i === timed ? seconds : 0, minutes: minutes, repeated: true, step: i, auto: auto
        };
      } });
    });
    if (sides.length === 1) {
      parts.push({ n: data.after.length, at: function (k) {
        return { text: steps[data.after[k]], step: data.after[k] };
      } });
    }
    parts.push({ n: 1, at: function () { return { kind: "done", text: words.allDone }; } });
    return {
      length: parts.reduce(function (sum, part) { return sum + part.n; }, 0),
      timed: seconds > 0 && each > 0 && data.repeat.indexOf(timed) >= 0,
      auto: auto && each > 0,
      screen: function (i) {
        for (var p = 0; p < parts.length; p += 1) {
          if (i < parts[p].n) return parts[p].at(i);
          i -= parts[p].n;
        }
        return null;
      }
    };
  }

  // --- the dialog ---------------------------------------------------------------------------

  function button(className, text, onClick) {
    var b = make("button", "with-me__button " + className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function build() {
    var d = make("dialog", "with-me__dialog");
    d.id = "with-me-dialog";
    d.setAttribute("aria-labelledby", "with-me-title");
    var top = make("div", "with-me__top");
    var title = make("h2", "with-me__title", say(words.title, { title: data.title }));
    title.id = "with-me-title";
    top.appendChild(title);
    var stop = button("with-me__stop", words.stop, function () { d.close(); });
    stop.setAttribute("aria-keyshortcuts", "Escape");
    top.appendChild(stop);
    d.appendChild(top);

    var where = make("p", "with-me__where");
    var side = make("span", "with-me__side");
    var rep = make("span", "with-me__rep");
    var set = make("span", "with-me__set");
    where.append(side, rep, set);
    var label = make("p", "with-me__label");
    var step = make("p", "with-me__step");
    var clock = make("div", "with-me__clock");
    clock.setAttribute("role", "timer");
    var number = make("span", "with-me__count");
    var unit = make("span", "with-me__unit");
    var bar = make("div", "with-me__bar");
    var fill = make("div", "with-me__fill");
    bar.appendChild(fill);
    clock.append(number, unit, bar);
    var remember = make("p", "with-me__remember");
    // The picture of the step (each frame lists its steps): a copy of the page's own drawing.
    var picture = make("div", "with-me__picture");
    picture.setAttribute("aria-hidden", "true");   // the step's words say it; the page's picture has its name
    var intro = make("div", "with-me__intro");
    intro.id = "with-me-intro";
    d.setAttribute("aria-describedby", intro.id);   // read out once, as the mode opens
    var body = make("div", "with-me__body");
    // The clock sits above the step, so a new step's length never moves it when a hold ends.
    body.append(where, clock, picture, label, step, remember, intro);
    d.appendChild(body);

    var controls = make("div", "with-me__controls");
    var back = button("with-me__back", words.back, function () { go(at - 1); });
    back.setAttribute("aria-keyshortcuts", "ArrowLeft");
    var pause = button("with-me__pause", words.pause, togglePause);
    pause.setAttribute("aria-keyshortcuts", "P");
    var next = button("with-me__next", words.next, function () {
      if (screen.kind === "done") d.close(); else go(at + 1);
    });
    next.setAttribute("aria-keyshortcuts", "ArrowRight");
    controls.append(back, pause, next);
    var options = make("div", "with-me__options");
    var soundButton = button("with-me__sound", "", function () { sound = !sound; drawOptions(); });
    var buzzButton = button("with-me__buzz", "", function () { buzz = !buzz; drawOptions(); });
    var paceBox = make("div", "with-me__pace");
    var paceSays = make("span", "with-me__pace-says");
    var slower = button("with-me__slower", words.slower, function () { setPace(1); });
    var faster = button("with-me__faster", words.faster, function () { setPace(-1); });
    paceBox.append(paceSays, slower, faster);
    options.append(soundButton, buzzButton, paceBox);
    var live = make("p", "with-me__live");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    d.append(controls, options, live);

    d.addEventListener("close", finish);
    d.addEventListener("keydown", onKey);
    document.body.appendChild(d);
    return {
      dialog: d, side: side, rep: rep, set: set, label: label, step: step, clock: clock, number: number,
      unit: unit, fill: fill, remember: remember, intro: intro, back: back, pause: pause, next: next,
      sound: soundButton, buzz: buzzButton, live: live, picture: picture, paceBox: paceBox, paceSays: paceSays,
      slower: slower, faster: faster
    };
  }

  function setPace(way) {
    var k = PACES.indexOf(pace) + way;
    if (k < 0 || k >= PACES.length) return;
    pace = PACES[k];
    drawOptions();
    announce(ui.paceSays.textContent);
    if (screen && screen.auto && !timer.paused) { stopTimer(); startPace(); }
  }

  function startPace() {
    timer.handle = setTimeout(function () { timer.handle = null; go(at + 1); }, pace * 1000);
  }

  function drawPicture(screen) {
    ui.picture.textContent = "";
    ui.picture.hidden = !pictures.length || screen.kind === "intro";
    if (screen.step === undefined) return;
    // The frame that lists the step; else the one of the nearest step before it; else the first.
    var frames = data.frames || [], best = 0, bestStep = -1;
    for (var k = 0; k < frames.length; k += 1) {
      frames[k].forEach(function (n) { if (n <= screen.step && n > bestStep) { best = k; bestStep = n; } });
    }
    if (!pictures[best]) return;
    var copy = pictures[best].cloneNode(true);
    copy.removeAttribute("role");
    var name = copy.querySelector("title");
    if (name) name.remove();
    ui.picture.appendChild(copy);
  }

  function drawOptions() {
    [[ui.sound, words.sound, sound], [ui.buzz, words.vibration, buzz]].forEach(function (o) {
      o[0].textContent = o[1] + ": " + (o[2] ? words.on : words.off);
      o[0].setAttribute("aria-pressed", String(o[2]));
    });
    ui.paceBox.hidden = !(session && session.auto);
    ui.paceSays.textContent = say(words.pace, { n: pace });
    ui.slower.disabled = pace === PACES[PACES.length - 1];
    ui.faster.disabled = pace === PACES[0];
  }

  function drawIntro(amount) {
    var box = ui.intro;
    box.textContent = "";
    box.appendChild(make("p", "", words.intro));
    box.appendChild(make("p", "with-me__amounts-title", amount.fromProgram ? words.program : words.amounts));
    var list = make("ul", "with-me__amounts");
    var named = { repetitions: data.per_side ? words.amountRepetitionsPerSide : words.amountRepetitions,
                  hold_seconds: words.amountHoldSeconds,
                  sets: words.amountSets, minutes: words.amountMinutes };
    Object.keys(named).forEach(function (f) {
      if (amount.dose[f]) list.appendChild(make("li", "", say(named[f], { n: amount.dose[f] })));
    });
    box.appendChild(list);
    box.appendChild(make("p", "with-me__amounts-title", words.safety));
    box.appendChild(make("p", "with-me__safety", words.safetyRule));
    if (words.helpUrl) {   // "When to get help" (issue 12): the signs that need a doctor first
      var help = make("p", "with-me__help", words.help + " ");
      var link = make("a", "", words.helpLink);
      link.href = words.helpUrl;
      help.appendChild(link);
      box.appendChild(help);
    }
    box.appendChild(make("p", "with-me__keys", words.keys));
  }

  // --- moving through the session -----------------------------------------------------------

  function announce(text) {
    ui.live.textContent = text;
  }

  function go(to, before) {
    if (to < 0 || to >= session.length) return;
    stopTimer();
    at = to;
    screen = session.screen(at);
    var intro = screen.kind === "intro";
    ui.intro.hidden = !intro;
    ui.side.parentNode.hidden = ui.label.hidden = intro;
    ui.step.hidden = intro;
    ui.step.textContent = intro ? "" : screen.text;
    ui.label.textContent = screen.label || "";
    ui.side.textContent = screen.side || "";
    ui.rep.textContent = screen.rep ? say(words.rep, { n: screen.rep, total: screen.reps }) : "";
    ui.set.textContent = screen.set ? say(words.set, { n: screen.set, total: screen.sets }) : "";
    drawPicture(screen);
    ui.remember.textContent = screen.repeated && data.remember.length ?
      words.remember + " " + data.remember.map(function (i) { return data.steps[i]; }).join(" ") : "";
    ui.back.disabled = at === 0;
    ui.next.textContent = intro ? words.start : screen.kind === "done" ? words.close : words.next;
    var message = [before || ""];
    if (screen.newRep || (screen.side && screen.label)) {
      message.push(screen.side || "", screen.set && screen.rep === 1 ? ui.set.textContent : "", ui.rep.textContent);
    }
    if (!intro) message.push(screen.text);
    if (screen.seconds) {
      var hold = screen.seconds === 1 ? words.holdOne : words.hold;   // "Hold for 1 second."
      message.push(screen.minutes ? say(words.time, { n: screen.seconds / 60 }) : say(hold, { n: screen.seconds }));
      startTimer(screen.seconds * 1000);
    } else {
      drawClock(0, 0);
      if (screen.auto) startPace();
    }
    ui.pause.disabled = !screen.seconds && !screen.auto;
    ui.pause.textContent = words.pause;
    // A button that has just been switched off loses the focus: give it to Next, not to the page.
    if (document.activeElement === document.body || (document.activeElement && document.activeElement.disabled)) {
      ui.next.focus();
    }
    if (!intro) announce(message.filter(Boolean).join(" "));
  }

  function drawClock(left, total) {
    // Where the session has a count, its place stays kept between holds: nothing jumps.
    ui.clock.hidden = !session.timed || screen.kind === "intro";
    ui.clock.style.visibility = total ? "visible" : "hidden";
    if (!total) { ui.number.textContent = ""; ui.unit.textContent = ""; return; }
    var s = Math.ceil(left / 1000);
    if (screen.minutes) {
      ui.number.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      ui.unit.textContent = "";
    } else {
      ui.number.textContent = String(s);
      ui.unit.textContent = s === 1 ? words.second : words.seconds;
    }
    ui.fill.style.width = (100 * left / total).toFixed(2) + "%";
  }

  function startTimer(ms) {
    timer.total = ms;
    timer.left = ms;
    timer.paused = false;
    timer.end = Date.now() + ms;
    drawClock(ms, ms);
    tick();
  }

  function tick() {
    var before = Math.ceil(timer.left / 60000);
    timer.left = Math.max(0, timer.end - Date.now());
    drawClock(timer.left, timer.total);
    if (timer.left <= 0) { timer.handle = null; holdDone(); return; }
    var minutesLeft = Math.ceil(timer.left / 60000);
    if (screen.minutes && minutesLeft < before) announce(say(words.minutesLeft, { n: minutesLeft }));
    timer.handle = setTimeout(tick, Math.min(250, timer.left));
  }

  function stopTimer() {
    if (timer.handle !== null) clearTimeout(timer.handle);
    timer.handle = null;
    timer.paused = false;
  }

  function togglePause() {
    if (!screen.seconds && !screen.auto) return;
    if (timer.paused) {
      timer.paused = false;
      timer.end = Date.now() + timer.left;
      ui.pause.textContent = words.pause;
      announce(words.resumed);
      if (screen.auto) startPace(); else tick();
    } else {
      stopTimer();
      timer.paused = true;
      ui.pause.textContent = words.resume;
      announce(words.paused);
    }
  }

  function holdDone() {
    chime();
    var done = screen.minutes ? words.timeDone : words.holdDone;
    if (at + 1 < session.length) go(at + 1, done); else announce(done);
  }

  // A short two-note sound made here (no file to download) and a buzz, each one easy to turn off.
  function chime() {
    if (buzz && navigator.vibrate) navigator.vibrate([150, 80, 150]);
    if (!sound || !audio) return;
    if (audio.state === "suspended") audio.resume();
    var now = audio.currentTime;
    [[660, 0], [880, 0.18]].forEach(function (note) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, now + note[1]);
      gain.gain.exponentialRampToValueAtTime(0.3, now + note[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + note[1] + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + note[1]);
      osc.stop(now + note[1] + 0.32);
    });
  }

  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock || !ui.dialog.open || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
    }, function () { /* not allowed here (battery saver, policy): the screen may dim */ });
  }

  // Keys of the mode; the page's own shortcuts (Material's p, n, s, ...) do not reach the page behind.
  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var mine = true;
    if (event.key === "ArrowRight") ui.next.click();
    else if (event.key === "ArrowLeft") go(at - 1);
    else if (event.key === "p" || event.key === "P") togglePause();
    else mine = false;
    if (mine) event.preventDefault();
    // Tab, Enter, Space and Escape do what they always do; letters stop here.
    if (mine || (event.key.length === 1 && event.key !== " ")) event.stopPropagation();
  }

  function open() {
    if (!ui) ui = build();
    var amount = amounts();
    session = plan(amount.dose);
    drawIntro(amount);
    drawOptions();
    announce("");
    ui.dialog.showModal();
    go(0);
    ui.next.focus();
    // The sound needs a tap or a key press to be allowed: this is one.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    }
    if (audio && audio.state === "suspended") audio.resume();
    keepAwake();
  }

  function finish() {
    stopTimer();
    if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
    if (audio && audio.state === "running") audio.suspend();
    opener.focus();
  }

  document.addEventListener("visibilitychange", function () { if (ui) keepAwake(); });
  opener.addEventListener("click", open);
  fetch(root.dataset.words, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (w) { words = w; opener.disabled = false; })
    .catch(function () { root.hidden = true; });
})();
