// Actor network: a deterministic force layout drawn in SVG, one node per actor entity.
// Nodes never overlap (a collision pass keeps discs apart) and neither do labels: each
// node, most active first, gets its name beside it where the name hits no other label and
// no disc; a name that fits nowhere is left out and shown on hover (the node's title).
// Radii come from the server (area by activity, relative to the busiest node), link
// colours too (mean Goldstein score).
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("network");
  var dataEl = document.getElementById("network-data");
  if (!svg || !dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var width = 1000, height = 640, GAP = 4, MARGIN = 6;
  var nodes = data.nodes;
  var byId = {};
  // A sunflower spiral as the start: the busiest nodes in the middle, the same every time.
  var golden = Math.PI * (3 - Math.sqrt(5));
  nodes.forEach(function (n, i) {
    var radius = 40 * Math.sqrt(i + 0.5);
    n.x = width / 2 + radius * Math.cos(i * golden);
    n.y = height / 2 + radius * Math.sin(i * golden);
    byId[n.key] = n;
  });
  var links = data.edges.map(function (e) {
    return { edge: e, a: byId[e.source], b: byId[e.target] };
  }).filter(function (l) { return l.a && l.b; });

  function separate(clamp) {
    // Push overlapping discs apart along the line between their centres.
    var moved = false;
    for (var i = 0; i < nodes.length; i++) {
      for (var j = i + 1; j < nodes.length; j++) {
        var a = nodes[i], b = nodes[j];
        var dx = b.x - a.x, dy = b.y - a.y;
        var d = Math.sqrt(dx * dx + dy * dy);
        var need = a.r + b.r + GAP;
        if (d >= need) continue;
        if (d < 0.01) { dx = 0.1 * (j - i); dy = 0.1; d = Math.sqrt(dx * dx + dy * dy); }
        var push = (need - d) / 2;
        a.x -= (dx / d) * push; a.y -= (dy / d) * push;
        b.x += (dx / d) * push; b.y += (dy / d) * push;
        moved = true;
      }
    }
    if (clamp) {
      nodes.forEach(function (n) {
        n.x = Math.max(n.r + MARGIN, Math.min(width - n.r - MARGIN, n.x));
        n.y = Math.max(n.r + MARGIN, Math.min(height - n.r - MARGIN, n.y));
      });
    }
    return moved;
  }

  function layout() {
    var k = Math.sqrt((width * height) / Math.max(1, nodes.length)) * 0.5;
    var temperature = width / 10;
    for (var step = 0; step < 300; step++) {
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y;
          if (dx * dx + dy * dy < 0.01) { dx = 0.1 * (i - j); dy = 0.1; }
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
      separate(false);
      temperature *= 0.985;
    }
    fit();
    // Fitting may bring discs together again: part them within the drawing.
    for (var pass = 0; pass < 200 && separate(true); pass++) { /* until none overlap */ }
  }

  // Scale the finished layout into the drawing, with room for the discs and labels.
  function fit() {
    if (!nodes.length) return;
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    nodes.forEach(function (n) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    var left = 80, right = width - 80, top = 40, bottom = height - 40;
    var scale = Math.min(
      maxX > minX ? (right - left) / (maxX - minX) : 1,
      maxY > minY ? (bottom - top) / (maxY - minY) : 1
    );
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    nodes.forEach(function (n) {
      n.x = width / 2 + (n.x - cx) * scale;
      n.y = height / 2 + (n.y - cy) * scale;
    });
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function eventsUrl(params) {
    if (data.by && data.by !== "entity") params.by = data.by;
    return "/events?" + new URLSearchParams(params).toString();
  }

  function overlaps(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }

  function discBox(n) {
    return { x: n.x - n.r, y: n.y - n.r, width: 2 * n.r, height: 2 * n.r };
  }

  function placeLabels(layer) {
    // Most active first: the names most worth reading get the first choice of places.
    var taken = [];
    var discs = nodes.map(discBox);
    nodes.forEach(function (n) {
      var label = el("text", { "class": "label", "data-key": n.key }, layer);
      label.textContent = n.name;
      var spots = [
        [n.x, n.y - n.r - 5, "middle"],
        [n.x, n.y + n.r + 14, "middle"],
        [n.x + n.r + 5, n.y + 4, "start"],
        [n.x - n.r - 5, n.y + 4, "end"]
      ];
      for (var s = 0; s < spots.length; s++) {
        label.setAttribute("x", spots[s][0]);
        label.setAttribute("y", spots[s][1]);
        label.setAttribute("text-anchor", spots[s][2]);
        var box = label.getBBox();
        var inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= width &&
          box.y + box.height <= height;
        var clear = inside && !taken.some(function (t) { return overlaps(t, box); }) &&
          !discs.some(function (d) { return overlaps(d, box); });
        if (clear) {
          taken.push({ x: box.x, y: box.y, width: box.width, height: box.height });
          return;
        }
      }
      layer.removeChild(label);
      n.link.classList.add("unlabelled");
    });
  }

  function draw() {
    var defs = el("defs", {}, svg);
    var edgeLayer = el("g", { "class": "edges" }, svg);
    var nodeLayer = el("g", { "class": "nodes" }, svg);
    var labelLayer = el("g", { "class": "labels" }, svg);
    links.forEach(function (l, i) {
      if (l.a === l.b) return;
      var colour = l.edge.colour;
      var marker = "arrow-" + i;
      var m = el("marker", { id: marker, viewBox: "0 0 10 10", refX: 10, refY: 5,
        markerWidth: 10, markerHeight: 10, markerUnits: "userSpaceOnUse",
        orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, m);
      var dx = l.b.x - l.a.x, dy = l.b.y - l.a.y;
      var d = Math.sqrt(dx * dx + dy * dy);
      if (d < 1) return;
      // Curve each link to one side so A->B and B->A stay apart; stop at the node's rim.
      var mx = (l.a.x + l.b.x) / 2 - (dy / d) * 30, my = (l.a.y + l.b.y) / 2 + (dx / d) * 30;
      var ex = l.b.x - ((l.b.x - mx) / Math.hypot(l.b.x - mx, l.b.y - my)) * (l.b.r + 2);
      var ey = l.b.y - ((l.b.y - my) / Math.hypot(l.b.x - mx, l.b.y - my)) * (l.b.r + 2);
      var link = el("a", { href: eventsUrl({ source_entity: l.a.key, target_entity: l.b.key }),
        "class": "edge-link" }, edgeLayer);
      var path = el("path", {
        "class": "edge", d: "M" + l.a.x + "," + l.a.y + " Q" + mx + "," + my + " " + ex + "," + ey,
        stroke: colour, "stroke-width": Math.min(8, 1 + 7 * Math.sqrt(l.edge.count / maxCount)),
        "marker-end": "url(#" + marker + ")",
        "data-goldstein": l.edge.goldstein_mean === null ? "" : l.edge.goldstein_mean
      }, link);
      el("title", {}, path).textContent = l.edge.label + ": " + l.edge.count + " events" +
        (l.edge.goldstein_mean === null ? "" : ", mean Goldstein " + l.edge.goldstein_mean);
    });
    nodes.forEach(function (n) {
      var link = el("a", { href: eventsUrl({ entity: n.key }), "class": "node",
        "data-actor": n.name, "data-key": n.key }, nodeLayer);
      el("circle", { cx: n.x, cy: n.y, r: n.r }, link);
      el("title", {}, link).textContent = n.name + (n.code ? " (" + n.code + ")" : "") + " · " + n.activity +
        " events as source or target";
      n.link = link;
    });
    placeLabels(labelLayer);
  }

  var maxCount = links.reduce(function (m, l) { return Math.max(m, l.edge.count); }, 1);
  layout();
  draw();
  svg.setAttribute("data-ready", "true");
})();
