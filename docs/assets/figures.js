/* "Show the movement": moves the first picture of an exercise from its start position to its end
   position and back, until paused. The in-between positions are drawn at build time
   (hooks/exercise_guide/figures/) and fetched only when asked for; this file only steps through
   them. It never starts by itself and does nothing for a reader who asked for reduced motion:
   the button stays hidden. The button's words come from the page (data-play, data-pause). */
(function () {
  "use strict";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  document.querySelectorAll(".exercise-figures").forEach(function (box) {
    var button = box.querySelector(".exercise-figures__play");
    var paths = box.querySelectorAll(".exercise-figure:first-child .fig-body path");
    if (!button || !paths.length || (reduce && reduce.matches)) return;
    var poses = null, playing = false, start = 0, shown = 0, timer = 0;
    var SECONDS_EACH_WAY = 1.6, PAUSE_AT_ENDS = 0.6;

    function draw(index) {
      var pose = poses[index];
      for (var i = 0; i < paths.length && i < pose.length; i++) paths[i].setAttribute("d", pose[i]);
      shown = index;
    }
    function tick(now) {
      if (!playing) return;
      if (reduce && reduce.matches) { stop(); return; }
      var last = poses.length - 1, leg = SECONDS_EACH_WAY + PAUSE_AT_ENDS;
      var t = ((now - start) / 1000) % (2 * leg);
      var k = t < leg ? Math.min(t / SECONDS_EACH_WAY, 1) : 1 - Math.min((t - leg) / SECONDS_EACH_WAY, 1);
      var eased = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2;
      var index = Math.round(eased * last);
      if (index !== shown) draw(index);
      timer = requestAnimationFrame(tick);
    }
    function label() {
      button.textContent = playing ? button.dataset.pause : button.dataset.play;
      button.setAttribute("aria-pressed", playing ? "true" : "false");
    }
    function play() {
      playing = true; start = performance.now(); label();
      timer = requestAnimationFrame(tick);
    }
    function stop() {
      playing = false; cancelAnimationFrame(timer); label();
    }
    button.addEventListener("click", function () {
      if (playing) { stop(); return; }
      if (poses) { play(); return; }
      fetch(box.dataset.motion).then(function (r) { return r.json(); })
        .then(function (data) { poses = data; play(); })
        .catch(function () { button.classList.remove("is-ready"); });
    });
    if (reduce && reduce.addEventListener) {
      reduce.addEventListener("change", function () { if (reduce.matches) { stop(); button.classList.remove("is-ready"); } });
    }
    button.classList.add("is-ready");
  });
})();
