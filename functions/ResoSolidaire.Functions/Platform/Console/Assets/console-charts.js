// The console's charts, drawn by Chart.js (vendored beside this file) from the figures each canvas carries in
// data-graphique; the table beside every chart holds the same figures for people who cannot see it. Pages work
// without it: the tables are the content, the charts a picture of them.
(function () {
  'use strict';
  var colours = ['#0b5e55', '#a34a00', '#0a5596', '#6b3fa0'];

  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute('data-graphique'));
    var bars = spec.type === 'bars';
    return new window.Chart(canvas, {
      type: bars ? 'bar' : 'line',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, i) {
          var colour = colours[i % colours.length];
          return { label: series.name, data: series.values, backgroundColor: colour, borderColor: colour, tension: 0 };
        })
      },
      options: {
        locale: 'fr-FR',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: bars ? 'y' : 'x',
        plugins: { legend: { display: spec.series.length > 1 } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  if (!window.Chart) {
    return;
  }

  var charts = Array.prototype.map.call(document.querySelectorAll('canvas[data-graphique]'), draw);

  // Printing narrows the page: redraw each chart at the printed width.
  window.addEventListener('beforeprint', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });

  var print = document.querySelector('[data-imprimer]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
