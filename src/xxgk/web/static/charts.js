/* Charts of the supervision dashboard, drawn from the table beside each chart (so the
   chart and the table always show the same numbers): a table with data-chart="line" or
   "bar", data-target (the chart element's id), data-x (category column) and data-y
   (value column).  Rows whose value is blank are left out of the chart. */
(function () {
  "use strict";
  function number(text) {
    var t = text.trim().replace(/[,%]/g, "");
    if (t === "" || t === "—") { return null; }
    var n = Number(t);
    return isNaN(n) ? null : n;
  }
  function draw(table) {
    var target = document.getElementById(table.dataset.target);
    if (!target || typeof echarts === "undefined") { return; }
    var x = Number(table.dataset.x), y = Number(table.dataset.y);
    var muted = table.dataset.muted === undefined ? -1 : Number(table.dataset.muted);
    var names = [], values = [], texts = [];
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var cells = tr.children;
      if (cells.length <= Math.max(x, y)) { return; }
      var v = number(cells[y].textContent);
      if (v === null) { return; }
      names.push(cells[x].textContent.trim());
      texts.push(cells[y].textContent.trim());
      // a row whose data-muted cell is blank (an unranked unit) is drawn grey
      var grey = muted >= 0 && cells[muted] && number(cells[muted].textContent) === null;
      values.push(grey ? { value: v, itemStyle: { color: "#bbb" } } : v);
    });
    var label = table.querySelectorAll("thead th")[y].textContent.trim();
    var chart = echarts.init(target, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 20, top: 40, bottom: names.length > 5 ? 70 : 40 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", name: label },
      series: [{ type: table.dataset.chart, name: label, data: values, label: { show: true, position: "top", formatter: function (p) { return texts[p.dataIndex]; } } }]
    });
    target.dataset.drawn = String(values.length);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all() { document.querySelectorAll("table[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
