// The run page's live part, updated in place while the run moves (no reload): every few seconds the
// page's own "live" fragment is fetched and swapped in when it changed. Open <details> stay open (by
// data-key), the scroll position stays, and updating stops once the fragment says the run ended.
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

  function swap(html) {
    var keys = openKeys();
    var x = window.scrollX;
    var y = window.scrollY;
    live.innerHTML = html;
    keys.forEach(function (key) {
      var details = live.querySelector('details[data-key="' + CSS.escape(key) + '"]');
      if (details) {
        details.open = true;
      }
    });
    window.scrollTo(x, y);
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
          var stop = document.getElementById("run-stop");
          if (stop) {
            stop.hidden = true;
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
