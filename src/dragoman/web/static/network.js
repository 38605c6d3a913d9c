// Actor network: a small deterministic force layout (Fruchterman-Reingold) drawn in SVG.
// Nodes are sized by activity; links are coloured by mean Goldstein score (colour computed
// by the server) and link to the events of that source -> target pair.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("network");
  var dataEl = document.getElementById("network-data");
  if (!svg || !dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var width = 1000, height = 640;
  var nodes = data.nodes;
  var byId = {};
  nodes.forEach(function (n, i) {
    var angle = (2 * Math.PI * i) / Math.max(1, nodes.length);
    n.x = width / 2 + (height / 3) * Math.cos(angle);
    n.y = height / 2 + (height / 3) * Math.sin(angle);
    n.r = Math.min(34, 7 + 5 * Math.sqrt(n.activity));
    byId[n.id] = n;
  });
  var links = data.edges.map(function (e) {
    return {
      edge: e,
      a: byId[e.source + "|" + e.source_code],
      b: byId[e.target + "|" + e.target_code]
    };
  }).filter(function (l) { return l.a && l.b; });

  function layout() {
    var k = Math.sqrt((width * height) / Math.max(1, nodes.length)) * 0.6;
    var temperature = width / 10;
    for (var step = 0; step < 300; step++) {
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y;
          if (dx * dx + dy * dy < 0.01) {
            // Coinciding nodes have no direction to push apart along: give them one.
            dx = 0.1 * (i - j); dy = 0.1;
          }
          var d = Math.max(1, Math.sqrt(dx * dx + dy * dy));
          var f = (k * k) / d;
          a.dx += (dx / d) * f; a.dy += (dy / d) * f;
          b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
        }
      }
      links.forEach(function (l) {
        if (l.a === l.b) return;
        var dx = l.a.x - l.b.x, dy = l.a.y - l.b.y;
        var d = Math.max(1, Math.sqrt(dx * dx + dy * dy));
        var f = (d * d) / k;
        l.a.dx -= (dx / d) * f; l.a.dy -= (dy / d) * f;
        l.b.dx += (dx / d) * f; l.b.dy += (dy / d) * f;
      });
      nodes.forEach(function (n) {
        // A pull to the centre keeps unconnected groups of actors near each other.
        n.dx += (width / 2 - n.x) * 0.8;
        n.dy += (height / 2 - n.y) * 0.8;
        var d = Math.max(1, Math.sqrt(n.dx * n.dx + n.dy * n.dy));
        var move = Math.min(d, temperature);
        n.x += (n.dx / d) * move;
        n.y += (n.dy / d) * move;
      });
      temperature *= 0.985;
    }
    fit();
  }

  // Scale the finished layout into the drawing, with room for labels, instead of clamping
  // nodes to the border during the simulation (which piles them up in the corners).
  function fit() {
    if (!nodes.length) return;
    var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var left = 90, right = width - 90, top = 50, bottom = height - 40;
    nodes.forEach(function (n) {
      n.x = maxX > minX ? left + ((n.x - minX) / (maxX - minX)) * (right - left) : width / 2;
      n.y = maxY > minY ? top + ((n.y - minY) / (maxY - minY)) * (bottom - top) : height / 2;
    });
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function eventsUrl(params) {
    return "/events?" + new URLSearchParams(params).toString();
  }

  function draw() {
    var defs = el("defs", {}, svg);
    var edgeLayer = el("g", { "class": "edges" }, svg);
    var nodeLayer = el("g", { "class": "nodes" }, svg);
    links.forEach(function (l, i) {
      if (l.a === l.b) return;
      var colour = l.edge.colour;
      var marker = "arrow-" + i;
      var m = el("marker", { id: marker, viewBox: "0 0 10 10", refX: 10, refY: 5,
        markerWidth: 12, markerHeight: 12, markerUnits: "userSpaceOnUse",
        orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, m);
      var dx = l.b.x - l.a.x, dy = l.b.y - l.a.y;
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d < 1) return;  // nodes on top of each other: no visible link to draw
      // Curve each link to one side so A->B and B->A stay apart; stop at the node's rim.
      var mx = (l.a.x + l.b.x) / 2 - (dy / d) * 30, my = (l.a.y + l.b.y) / 2 + (dx / d) * 30;
      var ex = l.b.x - ((l.b.x - mx) / Math.hypot(l.b.x - mx, l.b.y - my)) * (l.b.r + 2);
      var ey = l.b.y - ((l.b.y - my) / Math.hypot(l.b.x - mx, l.b.y - my)) * (l.b.r + 2);
      var link = el("a", { href: eventsUrl({ source: l.edge.source, target: l.edge.target }),
        "class": "edge-link" }, edgeLayer);
      var path = el("path", {
        "class": "edge", d: "M" + l.a.x + "," + l.a.y + " Q" + mx + "," + my + " " + ex + "," + ey,
        stroke: colour, "stroke-width": Math.min(10, 1.5 + 1.5 * Math.sqrt(l.edge.count)),
        "marker-end": "url(#" + marker + ")",
        "data-goldstein": l.edge.goldstein_mean
      }, link);
      el("title", {}, path).textContent = l.edge.source + " → " + l.edge.target + ": " +
        l.edge.count + " events, mean Goldstein " + l.edge.goldstein_mean;
    });
    nodes.forEach(function (n) {
      var link = el("a", { href: eventsUrl({ actor: n.name }), "class": "node",
        "data-actor": n.name }, nodeLayer);
      el("circle", { cx: n.x, cy: n.y, r: n.r }, link);
      var label = el("text", { x: n.x, y: n.y - n.r - 4, "text-anchor": "middle" }, link);
      label.textContent = n.name;
      el("title", {}, link).textContent = n.name + " (" + n.code + ") · " + n.activity + " events";
    });
  }

  layout();
  draw();
})();
