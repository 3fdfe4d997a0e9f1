// The report page: clicking a finding shows its page of the PDF with the cells
// outlined (the page works without this script: each finding links to ?show=N).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var viewer = document.getElementById("viewer");
  if (!viewer) return;
  var img = document.getElementById("viewer-img");
  var page = document.getElementById("viewer-page");
  var caption = document.getElementById("viewer-caption");
  var open = document.getElementById("viewer-open");
  var scroller = document.getElementById("viewer-scroller");
  function centre() {  // the first box in the middle of the visible part of the page
    var box = page.querySelector(".box");
    if (!box || !img.complete) return;
    scroller.scrollTop = Math.max(0, box.offsetTop - scroller.clientHeight / 3);
    scroller.scrollLeft = Math.max(0, box.offsetLeft - scroller.clientWidth / 3);
  }
  img.addEventListener("load", centre);
  centre();
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
    document.querySelectorAll(".finding.active").forEach(function (f) { f.classList.remove("active"); });
    item.classList.add("active");
    viewer.hidden = false;
    centre();
  }
  document.querySelectorAll(".finding[data-src]").forEach(function (item) {
    item.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (link && !link.classList.contains("show")) return;  // a cell link: follow it
      event.preventDefault();
      show(item);
    });
  });
});
