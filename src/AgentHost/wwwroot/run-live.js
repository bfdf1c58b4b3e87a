// The run page's live part, updated in place while the run moves (no reload): every few seconds the
// page's own "live" fragment is fetched and swapped in when it changed. Open <details> stay open (by
// data-key), what the user was looking at stays where it was on the screen, and updating stops once
// the fragment says the run ended.
(function () {
  "use strict";
  var live = document.getElementById("run-live");
  if (!live || live.dataset.ended === "true") {
    return;
  }

  var url = live.dataset.liveUrl;
  var pause = parseInt(live.dataset.pollMs, 10) || 2000;
  var last = live.innerHTML;
  var failures = 0;

  function openKeys() {
    return Array.prototype.map.call(live.querySelectorAll("details[open][data-key]"), function (d) {
      return d.dataset.key;
    });
  }

  // What the user is looking at: the topmost keyed element still in the window, and where it sits.
  function anchor() {
    var candidates = live.querySelectorAll("[id], [data-seq], [data-key], [data-call]");
    for (var i = 0; i < candidates.length; i++) {
      var top = candidates[i].getBoundingClientRect().top;
      if (top >= 0) {
        return { selector: selectorOf(candidates[i]), top: top };
      }
    }
    return null;
  }

  function selectorOf(element) {
    if (element.id) {
      return "#" + CSS.escape(element.id);
    }
    var name = ["seq", "key", "call"].filter(function (n) { return element.dataset[n] !== undefined; })[0];
    return element.tagName.toLowerCase() + "[data-" + name + '="' + CSS.escape(element.dataset[name]) + '"]';
  }

  // Puts that element back where it was, whatever grew or went above it; else keeps the scroll offset.
  function restore(seen, x, y) {
    var element = seen && live.querySelector(seen.selector);
    if (element) {
      window.scrollBy(0, element.getBoundingClientRect().top - seen.top);
    } else {
      window.scrollTo(x, y);
    }
  }

  function swap(html) {
    var keys = openKeys();
    var seen = anchor();
    var x = window.scrollX;
    var y = window.scrollY;
    live.innerHTML = html;
    keys.forEach(function (key) {
      var details = live.querySelector('details[data-key="' + CSS.escape(key) + '"]');
      if (details) {
        details.open = true;
      }
    });
    restore(seen, x, y);
  }

  function ended() {
    var state = live.querySelector(".live-state");
    return state !== null && state.dataset.ended === "true";
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        failures = 0;
        if (html !== last) {
          last = html;
          swap(html);
        }
        if (ended()) {
          live.dataset.ended = "true";
          // An ended run cannot be stopped: its form goes (removed: a flex container ignores "hidden").
          var stop = document.getElementById("run-stop");
          if (stop) {
            var seen = anchor();
            var x = window.scrollX;
            var y = window.scrollY;
            stop.remove();
            restore(seen, x, y);
          }
          return;
        }
        window.setTimeout(tick, pause);
      })
      .catch(function () {
        // A host restarting or a network blip: try again, more slowly, and say so after a few misses.
        failures++;
        if (failures === 3) {
          var note = document.createElement("p");
          note.className = "hint";
          note.setAttribute("role", "status");
          note.textContent = "Updates paused: the host did not answer. They resume when it does.";
          live.parentNode.insertBefore(note, live);
        }
        window.setTimeout(tick, Math.min(pause * (failures + 1), 30000));
      });
  }

  window.setTimeout(tick, pause);
})();
