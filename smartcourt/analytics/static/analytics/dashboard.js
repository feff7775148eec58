// Draws every dashboard chart from the JSON the page embeds (json_script "chart-data"): one ECharts instance
// per element with data-chart="<panel key>". The tables beside the charts hold the same numbers.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    var instances = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var spec = charts[element.dataset.chart];
      if (!spec || spec.categories.length === 0) { return; }
      var rightAxis = spec.series.some(function (s) { return s.type === "line"; }) &&
        spec.series.some(function (s) { return s.type === "bar"; });
      // An axis that carries counts only (every value a whole number) has whole-number ticks: no "2.5 cases".
      function axis(index) {
        var whole = spec.series.every(function (s) {
          var onAxis = rightAxis ? (s.type === "line" ? 1 : 0) : 0;
          return onAxis !== index || s.data.every(function (v) { return v === null || Number.isInteger(Number(v)); });
        });
        return whole ? { type: "value", minInterval: 1 } : { type: "value" };
      }
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 48, right: rightAxis ? 48 : 16, top: 36, bottom: 48 },
        xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: spec.categories.length > 8 ? 40 : 0 } },
        yAxis: rightAxis ? [axis(0), Object.assign(axis(1), { splitLine: { show: false } })] : [axis(0)],
        series: spec.series.map(function (s) {
          return Object.assign({}, s, { yAxisIndex: rightAxis && s.type === "line" ? 1 : 0, smooth: false });
        })
      });
      instances.push(chart);
    });
    window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
