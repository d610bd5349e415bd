// The dashboard's only script (the content security policy allows no inline script). It draws the
// charts from each canvas's data-chart attribute with the vendored Chart.js, and keeps the kanban
// live: a server-sent event says the board changed, the board is fetched again (server-rendered,
// escaped HTML) and swapped in.
(function () {
  "use strict";

  var palette = ["#2f6fdf", "#e07b39", "#3aa37a", "#c04a6b", "#8a63d2", "#b8a135", "#3fa7c4", "#777777"];

  function drawCharts(root) {
    if (typeof Chart === "undefined") { return; }
    Chart.defaults.animation = false;
    Chart.defaults.font.family = "system-ui, sans-serif";
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var spec = JSON.parse(canvas.dataset.chart);
      var round = spec.type === "doughnut" || spec.type === "pie";
      var datasets = spec.series.map(function (s, i) {
        return {
          label: s.label,
          data: s.data,
          backgroundColor: round ? s.data.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length],
          borderColor: palette[i % palette.length],
          borderWidth: spec.type === "line" ? 2 : 0,
          pointRadius: spec.type === "line" ? 2 : 0
        };
      });
      var percent = function (v) { return spec.percent ? Math.round(v * 1000) / 10 + "%" : v; };
      var options = { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: round } } };
      if (!round) {
        var valueAxis = { beginAtZero: true, ticks: { callback: percent }, title: { display: !!(spec.horizontal ? spec.x_title : spec.y_title), text: spec.horizontal ? spec.x_title : spec.y_title } };
        var labelAxis = { ticks: { autoSkip: true }, title: { display: !!(spec.horizontal ? spec.y_title : spec.x_title), text: spec.horizontal ? spec.y_title : spec.x_title } };
        options.indexAxis = spec.horizontal ? "y" : "x";
        options.scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
      }
      new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
      canvas.dataset.drawn = "true";
    });
  }

  function liveBoard() {
    var board = document.querySelector("[data-live-board]");
    var status = document.getElementById("live-status");
    if (!board || typeof EventSource === "undefined") { return; }
    var source = new EventSource("/api/events");
    var pending = null;
    source.addEventListener("board", function (event) {
      var version = event.lastEventId;
      if (status) { status.textContent = "live"; status.dataset.state = "live"; }
      // The board carries the fingerprint it was rendered with; only another one means a change.
      if (board.dataset.version === version) { return; }
      pending = version;
      fetch(board.dataset.liveBoard, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
        .then(function (html) {
          if (pending !== version) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("board");
          if (fresh) { board.replaceChildren.apply(board, Array.prototype.slice.call(fresh.childNodes)); }
          board.dataset.version = fresh ? fresh.dataset.version : version;
        })
        .catch(function () { if (status) { status.textContent = "update failed"; status.dataset.state = "error"; } });
    });
    source.onerror = function () { if (status) { status.textContent = "reconnecting…"; status.dataset.state = "reconnecting"; } };
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    liveBoard();
  });
})();
