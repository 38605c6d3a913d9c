// Timeline: hovering or focusing a point (or a bin) shows its tooltip text in the status line.
(function () {
  "use strict";
  var svg = document.getElementById("timeline");
  if (!svg) return;
  var status = document.createElement("p");
  status.className = "summary timeline-status";
  status.setAttribute("aria-live", "polite");
  svg.parentNode.appendChild(status);
  svg.querySelectorAll(".point-link, .bin-link").forEach(function (link) {
    var title = link.querySelector("title");
    function show() { status.textContent = title ? title.textContent : ""; }
    link.addEventListener("mouseenter", show);
    link.addEventListener("focus", show);
  });
})();
