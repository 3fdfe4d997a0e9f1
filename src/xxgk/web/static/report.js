// The report page: clicking a finding outlines its cells in the tables and, for a
// PDF, shows its page with the cells boxed (without this script each finding links
// to ?show=N and the cells' links still jump to the table).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var viewer = document.getElementById("viewer");
  var img = document.getElementById("viewer-img");
  var page = document.getElementById("viewer-page");
  var caption = document.getElementById("viewer-caption");
  var open = document.getElementById("viewer-open");
  var scroller = document.getElementById("viewer-scroller");
  function centre() {  // the first box a third of the way into the visible part
    var box = page && page.querySelector(".box");
    if (!box || !img.complete) return;
    scroller.scrollTop = Math.max(0, box.offsetTop - scroller.clientHeight / 3);
    scroller.scrollLeft = Math.max(0, box.offsetLeft - scroller.clientWidth / 3);
  }
  function cells(item) {
    document.querySelectorAll("td.hl").forEach(function (td) { td.classList.remove("hl"); });
    item.querySelectorAll("a.cell-link").forEach(function (a) {
      var td = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (td) td.classList.add("hl");
    });
  }
  function show(item) {
    var boxes = JSON.parse(item.getAttribute("data-boxes") || "[]");
    page.querySelectorAll(".box").forEach(function (b) { b.remove(); });
    img.src = item.getAttribute("data-src");
    boxes.forEach(function (b) {
      var span = document.createElement("span");
      span.className = "box";
      span.style.left = b.left + "%";
      span.style.top = b.top + "%";
      span.style.width = b.width + "%";
      span.style.height = b.height + "%";
      page.appendChild(span);
    });
    caption.textContent = "问题 " + item.querySelector(".no").textContent +
      " · 原文第 " + item.getAttribute("data-page") + " 页";
    open.href = item.getAttribute("data-drawn");
    viewer.hidden = false;
    centre();
  }
  if (img) img.addEventListener("load", centre);
  if (viewer) centre();
  document.querySelectorAll(".finding").forEach(function (item) {
    item.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (link && !link.classList.contains("show")) return;  // a cell link: follow it
      if (link) event.preventDefault();
      document.querySelectorAll(".finding.active").forEach(function (f) { f.classList.remove("active"); });
      item.classList.add("active");
      cells(item);
      if (viewer && item.hasAttribute("data-src")) show(item);
    });
  });
});
