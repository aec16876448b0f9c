/* pakg graph explorer: legend, search, filters and a side panel around a vis-network graph.
 *
 * All data comes from the JSON block #pakg-data (written by kg/viz/page.py).  Every text
 * from an article reaches the page through textContent or text nodes (function el) and is
 * never parsed as HTML, so a name written as an image tag with an error handler is shown as text.
 */
(function () {
  "use strict";
  var timings = window.pakgTimings = {start: performance.now()};
  var DATA = JSON.parse(document.getElementById("pakg-data").textContent);
  timings.parsed = performance.now();
  var SVG = "http://www.w3.org/2000/svg";
  var SHAPES = {
    dot: ["circle", {cx: 8, cy: 8, r: 6.5}],
    hexagon: ["polygon", {points: "8,1 14.1,4.5 14.1,11.5 8,15 1.9,11.5 1.9,4.5"}],
    star: ["polygon", {points: "8,0.8 10.1,5.6 15.2,5.9 11.3,9.2 12.5,14.3 8,11.6 3.5,14.3 4.7,9.2 0.8,5.9 5.9,5.6"}],
    triangle: ["polygon", {points: "8,1.5 14.8,14 1.2,14"}],
    triangleDown: ["polygon", {points: "1.2,2 14.8,2 8,14.5"}],
    square: ["rect", {x: 2, y: 2, width: 12, height: 12}],
    diamond: ["polygon", {points: "8,0.8 15.2,8 8,15.2 0.8,8"}]
  };

  // ---------------------------------------------------------------- helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function swatch(shape, colour, dashed) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("class", "sw");
    s.setAttribute("viewBox", "0 0 16 16");
    s.setAttribute("width", "16");
    s.setAttribute("height", "16");
    var spec = SHAPES[shape] || SHAPES.dot;
    var p = document.createElementNS(SVG, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { p.setAttribute(k, spec[1][k]); });
    p.setAttribute("fill", colour);
    p.setAttribute("stroke", "#00000055");
    p.setAttribute("stroke-width", "1.2");
    if (dashed) { p.setAttribute("stroke-dasharray", "2 1.5"); }
    s.appendChild(p);
    return s;
  }
  function wrap(label) {  // Chinese has no spaces for vis to wrap at
    var chars = Array.from(label), lines = [];
    for (var i = 0; i < chars.length && lines.length < 4; i += 10) { lines.push(chars.slice(i, i + 10).join("")); }
    return lines.join("\n") + (chars.length > 40 ? "…" : "");
  }

  var CLASS = {}, REL = {};
  DATA.classes.forEach(function (c) { CLASS[c[0]] = {zh: c[1], en: c[2], colour: c[3], shape: c[4], n: c[5], bg: c[6]}; });
  DATA.relations.forEach(function (r) { REL[r[0]] = {zh: r[1], colour: r[2], dark: r[3], n: r[4]}; });
  var KSTYLE = DATA.kinds.style;
  CLASS.ProgramKind = {zh: KSTYLE[0], en: KSTYLE[1], colour: KSTYLE[2], shape: KSTYLE[3], border: KSTYLE[5]};
  REL.broader = {zh: "属于", colour: KSTYLE[5], dark: "#5d4300"};   // a program -> its kind (page only)
  function classOf(type) { return CLASS[type] || {zh: type, en: type, colour: "#9e9e9e", shape: "dot"}; }
  function relOf(rel) { return REL[rel] || {zh: rel, colour: "#9e9e9e", dark: "#6f6f6f"}; }

  var byId = {}, outEdges = {}, inEdges = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; outEdges[n.id] = []; inEdges[n.id] = []; });
  DATA.edges.forEach(function (e, i) {
    e.id = "e" + i;
    outEdges[e.from].push(e);
    inEdges[e.to].push(e);
  });

  // Programs are grouped under a few kinds (kg/viz/programs.py): a node per kind, which
  // holds its minor programs (named in one article, by one county) until it is opened.
  // While a kind is folded, whoever implements one of its minor programs links to the kind.
  var kinds = DATA.kinds.names.map(function (name) {
    var k = {id: "#kind:" + name, name: name, type: "ProgramKind", size: KSTYLE[4], programs: [], minor: [],
             open: false, folded: 0, implementers: {}, degree: 0};
    byId[k.id] = k;
    return k;
  });
  var kindOf = {};
  kinds.forEach(function (k) { kindOf[k.name] = k; });
  DATA.nodes.forEach(function (n) {
    var k = n.kind && kindOf[n.kind];
    if (!k) { return; }
    k.programs.push(n);
    if (n.minor) {
      k.minor.push(n);
      k.folded += 1;
      inEdges[n.id].forEach(function (e) {
        if (e.rel === "implements") { (k.implementers[e.from] = k.implementers[e.from] || []).push(n.id); }
      });
    }
  });
  var kindEdges = [];   // program -> its kind (属于), and implementer -> a folded kind (实施, for its minor programs)
  kinds.forEach(function (k) {
    k.label = k.name + "类";
    k.programs.forEach(function (n) { kindEdges.push({from: n.id, to: k.id, rel: "broader", kind: k}); });
    Object.keys(k.implementers).sort().forEach(function (u) {
      kindEdges.push({from: u, to: k.id, rel: "implements", kind: k, programs: k.implementers[u]});
    });
    k.degree = k.programs.length + Object.keys(k.implementers).length;
  });
  kindEdges.forEach(function (e, i) { e.id = "k" + i; });
  function kindLabel(k) { return k.label + (k.folded ? " +" + k.folded : ""); }  // + the minor programs it holds
  function centroid(list) {
    var x = 0, y = 0;
    list.forEach(function (n) { x += n.x; y += n.y; });
    return {x: x / list.length, y: y / list.length};
  }

  function metric(n, by) {
    return by === "mentions" ? Math.max(n.mentions || 0, (n.articles || []).length) : (n.degree || 0);
  }
  function sizeOf(n, by) {
    return Math.round((n.size * 0.75 + Math.min(26, 3.2 * Math.sqrt(metric(n, by)))) * 10) / 10;
  }

  // ---------------------------------------------------------------- the network
  var hiddenNode = {}, hiddenEdge = {};   // what the filters and the folded kinds hide
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var v = {id: n.id, label: wrap(n.label), group: n.group, size: sizeOf(n, "degree"), info: n};
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    if (n.minor && kindOf[n.kind]) { v.hidden = hiddenNode[n.id] = true; }
    return v;
  }).concat(kinds.map(function (k) {
    var v = {id: k.id, label: wrap(kindLabel(k)), group: "ProgramKind", size: sizeOf(k, "degree"), info: k};
    if (!DATA.physics) {
      var c = centroid(k.programs);
      v.x = c.x;
      v.y = c.y;
    }
    return v;
  })));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var r = relOf(e.rel);
    return {id: e.id, from: e.from, to: e.to, label: r.zh, arrows: "to", info: e,
            color: {color: r.colour, highlight: r.dark, hover: r.dark, opacity: 0.85}, font: {color: r.dark}};
  }).concat(kindEdges.map(function (e) {
    var r = relOf(e.rel);
    return {id: e.id, from: e.from, to: e.to, label: e.programs ? r.zh + " ×" + e.programs.length : r.zh,
            arrows: "to", info: e, dashes: e.rel === "broader",
            color: {color: r.colour, highlight: r.dark, hover: r.dark, opacity: 0.85}, font: {color: r.dark}};
  })));
  var container = document.getElementById("pakg-network");
  var status = document.getElementById("pakg-status");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  timings.network = performance.now();
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  window.pakgStabilized = false;

  // ---------------------------------------------------------------- legend, search, filters
  var legend = document.getElementById("pakg-legend");
  legend.appendChild(el("h1", null, DATA.title));
  var counts = legend.appendChild(el("div", "counts", DATA.summary));
  counts.id = "pakg-count";
  var search = legend.appendChild(el("input"));
  search.id = "pakg-search";
  search.type = "search";
  search.placeholder = "搜索 search: 名称或别名 name or alias";
  search.setAttribute("aria-label", "search");
  search.autocomplete = "off";
  var results = legend.appendChild(el("ul"));
  results.id = "pakg-results";

  function checkItem(list, attr, value, parts) {
    var li = list.appendChild(el("li"));
    var label = li.appendChild(el("label"));
    var box = label.appendChild(el("input"));
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute(attr, value);
    box.addEventListener("change", filtersChanged);
    parts.forEach(function (p) { label.appendChild(p); });
    return li;
  }
  if (DATA.classes.length) {
    legend.appendChild(el("h2", null, "实体 Entities"));
    var ul = legend.appendChild(el("ul"));
    ul.id = "pakg-types";
    DATA.classes.forEach(function (c) {
      var k = classOf(c[0]);
      checkItem(ul, "data-class", c[0], [swatch(k.shape, k.colour), el("span", null, k.zh),
                                         el("span", "en", k.en), el("span", "n", k.n)]).setAttribute("data-class", c[0]);
    });
  }
  if (DATA.relations.length) {
    legend.appendChild(el("h2", null, "关系 Relations"));
    var rl = legend.appendChild(el("ul"));
    rl.id = "pakg-relations";
    DATA.relations.forEach(function (r) {
      var line = el("span", "line");
      line.style.borderColor = REL[r[0]].colour;
      checkItem(rl, "data-relation", r[0], [line, el("span", null, REL[r[0]].zh), el("span", "en", r[0]),
                                            el("span", "n", REL[r[0]].n)]).setAttribute("data-relation", r[0]);
    });
  }
  var foldBox = null;
  if (kinds.length) {
    legend.appendChild(el("h2", null, "项目类别 Program kinds"));
    var kl = legend.appendChild(el("ul"));
    kl.id = "pakg-kinds";
    var fl = kl.appendChild(el("li")).appendChild(el("label"));
    foldBox = fl.appendChild(el("input"));
    foldBox.type = "checkbox";
    foldBox.checked = true;
    foldBox.id = "pakg-fold";
    foldBox.addEventListener("change", function () {
      kinds.forEach(function (k) { setOpen(k, !foldBox.checked); });
      filtersChanged();
    });
    fl.appendChild(swatch(KSTYLE[3], KSTYLE[2]));
    fl.appendChild(el("span", null, "收起次要项目"));
    fl.appendChild(el("span", "en", "fold minor programs into their kind"));
    fl.appendChild(el("span", "n", kinds.reduce(function (a, k) { return a + k.minor.length; }, 0)));
  }
  var nBackground = DATA.nodes.filter(function (n) { return n.bg; }).length;
  if (nBackground) {
    legend.appendChild(el("h2", null, "来源 Source"));
    var sl = legend.appendChild(el("ul"));
    var li = sl.appendChild(el("li"));
    var lab = li.appendChild(el("label"));
    lab.appendChild(swatch("dot", "#e0e0e0", true));
    lab.appendChild(el("span", null, "浅色：背景知识"));
    lab.appendChild(el("span", "en", "background, not in articles"));
    lab.appendChild(el("span", "n", nBackground));
  }
  legend.appendChild(el("h2", null, "筛选 Filters"));
  function select(id, label, options, onChange) {
    var s = el("select");
    s.id = id;
    s.setAttribute("aria-label", label);
    options.forEach(function (o) {
      var opt = s.appendChild(el("option", null, o[1]));
      opt.value = o[0];
    });
    s.addEventListener("change", onChange || filtersChanged);
    legend.appendChild(s);
    return s;
  }
  var countySel = select("pakg-county", "county", [["", "全部县 all counties (" + DATA.counties.length + ")"]].concat(
    DATA.counties.map(function (c, i) { return [String(i), c[1]]; })));
  var articleSel = select("pakg-article", "article", [["", "全部报道 all articles (" + DATA.articles.length + ")"]].concat(
    DATA.articles.map(function (a, i) { return [String(i), a[1] ? a[0] + " — " + a[1] : a[0]]; })));
  var sizeSel = select("pakg-size", "node size", [["degree", "大小：关系数 size by degree"],
                                                  ["mentions", "大小：提及次数 size by mentions"]],
                       function () { resize(sizeSel.value); });
  var row = legend.appendChild(el("div", "row"));
  var reset = row.appendChild(el("button", null, "重置 reset"));
  reset.type = "button";
  reset.id = "pakg-reset";
  reset.addEventListener("click", function () { resetFilters(); filtersChanged(); });
  var fitBtn = row.appendChild(el("button", null, "全图 fit"));
  fitBtn.type = "button";
  fitBtn.id = "pakg-fit";
  fitBtn.addEventListener("click", function () { fitView(); });

  function resize(by) {
    nodes.update(DATA.nodes.concat(kinds).map(function (n) { return {id: n.id, size: sizeOf(n, by)}; }));
  }
  function resetFilters() {
    legend.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = true; });
    countySel.value = "";
    articleSel.value = "";
    kinds.forEach(function (k) { setOpen(k, false); });
  }
  function filtersChanged() {  // a filter changed: show the nodes left, clear of the panels
    applyFilters();
    fitView();
  }

  // ---------------------------------------------------------------- folding programs into their kind
  function setOpen(k, open) {
    if (k.open === open) { return; }
    k.open = open;
    if (open) { placeAround(k); }
  }
  function openKind(name, open) {  // (from the kind's panel and a double click on its node)
    var k = kindOf[name];
    if (!k) { return; }
    setOpen(k, open);
    applyFilters();
    if (open && DATA.physics) { relax(k.minor.map(function (n) { return n.id; })); }
    if (panel.getAttribute("data-node") === k.id) { showNode(k.id); }
  }
  function placeAround(k) {  // the kind's minor programs on a ring around it, to start from
    var c = network.getPosition(k.id), m = k.minor.length, r = Math.max(80, 6 * m);
    nodes.update(k.minor.map(function (n, i) {
      var a = 2 * Math.PI * i / m - Math.PI / 2;
      return {id: n.id, x: Math.round(c.x + r * Math.cos(a)), y: Math.round(c.y + r * Math.sin(a))};
    }));
  }
  function relax(ids) {  // a short run of the physics places the nodes just shown; the others stay put
    var moving = {};
    ids.forEach(function (id) { moving[id] = true; });
    var held = nodes.getIds({filter: function (v) { return !hiddenNode[v.id] && !moving[v.id]; }});
    nodes.update(held.map(function (id) { return {id: id, fixed: true}; }));
    network.setOptions({physics: {enabled: true, stabilization: {fit: false}}});
    network.once("stabilized", function () {
      network.setOptions({physics: {enabled: false}});
      nodes.update(held.map(function (id) { return {id: id, fixed: false}; }));
    });
    network.stabilize(200);
  }

  function applyFilters() {
    var typeOn = {}, relOn = {};
    legend.querySelectorAll("input[data-class]").forEach(function (b) { typeOn[b.getAttribute("data-class")] = b.checked; });
    legend.querySelectorAll("input[data-relation]").forEach(function (b) { relOn[b.getAttribute("data-relation")] = b.checked; });
    var county = countySel.value === "" ? -1 : Number(countySel.value);
    var article = articleSel.value === "" ? -1 : Number(articleSel.value);
    var keep = {};
    DATA.nodes.forEach(function (n) {
      if (typeOn[n.type] === false) { return; }
      if (county >= 0 && (n.counties || []).indexOf(county) < 0) { return; }
      if (article >= 0 && (n.articles || []).indexOf(article) < 0) { return; }
      keep[n.id] = true;
    });
    if (county >= 0 || article >= 0) {  // keep the places above what is shown, for context
      Object.keys(keep).forEach(function (id) {
        (byId[id].path || []).forEach(function (p) {
          if (byId[p[0]] && typeOn[byId[p[0]].type] !== false) { keep[p[0]] = true; }
        });
      });
    }
    var nu = {}, eu = [], shown = 0, folded = 0;
    function change(id, props) { nu[id] = Object.assign(nu[id] || {id: id}, props); }
    kinds.forEach(function (k) {  // a kind is shown when one of its programs is; a folded kind holds its minor ones
      if (k.programs.some(function (n) { return keep[n.id]; })) { keep[k.id] = true; }
      var n = 0;
      if (!k.open) { k.minor.forEach(function (p) { if (keep[p.id]) { n += 1; delete keep[p.id]; } }); }
      folded += n;
      if (n !== k.folded) { k.folded = n; change(k.id, {label: wrap(kindLabel(k))}); }
    });
    DATA.nodes.concat(kinds).forEach(function (n) {
      var h = !keep[n.id];
      if (!h && n.type !== "ProgramKind") { shown += 1; }
      if (!!hiddenNode[n.id] !== h) { hiddenNode[n.id] = h; change(n.id, {hidden: h}); }
    });
    DATA.edges.concat(kindEdges).forEach(function (e) {
      var h = relOn[e.rel] === false || (!!e.programs && e.kind.open);
      if (!!hiddenEdge[e.id] !== h) { hiddenEdge[e.id] = h; eu.push({id: e.id, hidden: h}); }
    });
    nodes.update(Object.keys(nu).map(function (id) { return nu[id]; }));
    if (eu.length) { edges.update(eu); }
    counts.textContent = (shown + folded === DATA.nodes.length ? DATA.summary
      : "显示 showing " + (shown + folded) + " / " + DATA.nodes.length + " 实体 entities") +
      (folded ? " · " + folded + " 个次要项目收在类别中 minor programs folded into their kinds" : "");
    if (search.value) { showResults(); }
  }

  var searchKeys = DATA.nodes.map(function (n) {
    return {n: n, label: n.label.toLowerCase(), aliases: (n.aliases || []).map(function (a) { return a.toLowerCase(); })};
  });
  function find(query) {
    var q = query.trim().toLowerCase(), hits = [];
    if (!q) { return hits; }
    searchKeys.forEach(function (k) {
      var rank = -1, via = null;
      if (k.label === q) { rank = 0; }
      else if (k.aliases.indexOf(q) >= 0) { rank = 1; via = q; }
      else if (k.label.indexOf(q) === 0) { rank = 2; }
      else if (k.label.indexOf(q) > 0) { rank = 4; }
      else {
        for (var i = 0; i < k.aliases.length; i++) {
          if (k.aliases[i].indexOf(q) >= 0) { rank = k.aliases[i].indexOf(q) === 0 ? 3 : 5; via = k.n.aliases[i]; break; }
        }
        if (rank < 0 && k.n.iri.toLowerCase().indexOf(q) >= 0) { rank = 6; via = k.n.iri; }
      }
      if (rank >= 0) { hits.push({rank: rank, n: k.n, via: via}); }
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || a.n.label.length - b.n.label.length || (a.n.label < b.n.label ? -1 : a.n.label > b.n.label ? 1 : 0);
    });
    return hits.slice(0, 50);
  }
  function showResults() {
    results.textContent = "";
    var hits = find(search.value);
    if (search.value.trim() && !hits.length) { results.appendChild(el("li", "none", "无结果 no match")); }
    hits.forEach(function (h) {
      var li = results.appendChild(el("li", hiddenNode[h.n.id] ? "off" : null));
      var b = li.appendChild(el("button"));
      b.type = "button";
      b.setAttribute("data-id", h.n.id);
      var k = classOf(h.n.type);
      b.appendChild(swatch(k.shape, k.colour, h.n.bg));
      b.appendChild(el("span", "label", h.n.label));
      b.appendChild(el("span", "via", h.via ? "别名 " + h.via : k.zh));
      b.addEventListener("click", function () { focusNode(h.n.id); });
    });
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = find(search.value);
      if (hits.length) { focusNode(hits[0].n.id); }
      ev.preventDefault();
    }
  });

  function focusNode(id) {
    if (!byId[id]) { return; }
    var k = byId[id].minor && kindOf[byId[id].kind];
    if (k && !k.open) { setOpen(k, true); applyFilters(); }   // a folded program: open its kind
    if (hiddenNode[id]) {
      resetFilters();
      if (k) { setOpen(k, true); }
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    showNode(id);
  }

  // ---------------------------------------------------------------- the side panel
  var panel = document.getElementById("pakg-panel");
  var body = document.getElementById("pakg-panel-body");
  function hidePanel() { panel.hidden = true; panel.removeAttribute("data-node"); panel.removeAttribute("data-edge"); }
  document.getElementById("pakg-panel-close").addEventListener("click", hidePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hidePanel(); } });

  function link(id, text) {
    if (!byId[id]) { return el("span", null, text); }
    var b = el("button", "link", text);
    b.type = "button";
    b.setAttribute("data-id", id);
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function sentenceBlock(index, marks) {
    var s = DATA.sentences[index], a = DATA.articles[s[0]];
    var box = el("div", "sent");
    box.appendChild(el("div", "src", a[1] ? a[0] + " — " + a[1] : a[0]));
    var p = box.appendChild(el("div", "text"));
    var text = s[1], at = 0;
    (marks || []).slice().sort(function (x, y) { return x[0] - y[0]; }).forEach(function (m) {
      if (m[0] < at) { return; }
      p.appendChild(document.createTextNode(text.slice(at, m[0])));
      p.appendChild(el("mark", null, text.slice(m[0], m[1])));
      at = m[1];
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }
  function listWithMore(parent, items, first, render) {
    var list = parent.appendChild(el("div"));
    items.slice(0, first).forEach(function (x) { list.appendChild(render(x)); });
    if (items.length > first) {
      var more = parent.appendChild(el("button", "more", "显示全部 show all " + items.length));
      more.type = "button";
      more.addEventListener("click", function () {
        items.slice(first).forEach(function (x) { list.appendChild(render(x)); });
        more.remove();
      });
    }
  }
  function section(title) { body.appendChild(el("h3", null, title)); }
  function typeLine(n) {
    var k = classOf(n.type), d = el("div", "type");
    d.appendChild(swatch(k.shape, k.colour, n.bg));
    d.appendChild(el("span", null, k.zh + " · " + k.en));
    return d;
  }
  function evidence(e) {
    var d = el("details");
    var n = (e.sentences || []).length;
    d.appendChild(el("summary", null, "依据 evidence: " + (n ? n + " 句 sentences" : "") +
                     (e.gazetteer ? (n ? " + " : "") + "行政区划 gazetteer" : "")));
    (e.sentences || []).forEach(function (i) { d.appendChild(sentenceBlock(i, [])); });
    return d;
  }

  function showKind(k) {
    body.appendChild(el("div", "bg", "按名称中的提示词归类，只在本页，不在 RDF 中 · grouped by cue words in the " +
                                     "program names: a reading aid of this page, not a fact in the RDF"));
    if (k.minor.length) {
      var b = body.appendChild(el("button", "toggle", k.open ? "收起次要项目 fold its minor programs"
                                                              : "展开 open: show its " + k.minor.length + " minor programs"));
      b.type = "button";
      b.id = "pakg-kind-toggle";
      b.addEventListener("click", function () { openKind(k.name, !k.open); });
    }
    section("项目 programs (" + k.programs.length + ")");
    var ul = body.appendChild(el("ul", "programs"));
    listWithMore(ul, k.programs, 40, function (n) {
      var li = el("li");
      li.appendChild(link(n.id, n.label));
      var where = (n.counties || []).map(function (c) { return DATA.counties[c][1]; }).join("、");
      li.appendChild(el("span", "en", " " + (n.minor ? "次要 minor" : "") + (n.minor && where ? " · " : "") + where));
      return li;
    });
  }

  function showNode(id) {
    var n = byId[id];
    body.textContent = "";
    panel.removeAttribute("data-edge");
    panel.setAttribute("data-node", id);
    body.appendChild(el("h2", null, n.label));
    body.appendChild(typeLine(n));
    if (n.type === "ProgramKind") { showKind(n); }
    if (n.bg) { body.appendChild(el("div", "bg", "背景知识，未在报道中出现 background knowledge, not in the articles")); }
    if (n.kind && kindOf[n.kind]) {
      section("类别 kind");
      var kd = body.appendChild(el("div"));
      kd.appendChild(link(kindOf[n.kind].id, kindOf[n.kind].label));
      if (n.minor) { kd.appendChild(el("span", "en", " 次要项目 minor program: one article, one county")); }
    }
    if (n.aliases) { section("别名 aliases"); body.appendChild(el("div", null, n.aliases.join("、"))); }
    if (n.titles) { section("职务 titles"); body.appendChild(el("div", null, n.titles.join("、"))); }
    if (n.tenures) {
      section("任职时间 posts held, since");
      var tl = body.appendChild(el("ul", "tenures"));
      n.tenures.forEach(function (t) { tl.appendChild(el("li", null, t)); });
    }
    if (n.path) {
      section(n.type === "Cadre" || n.type === "Resident" ? "所在 unit → 行政区划 admin path" : "行政区划 admin path");
      var ol = body.appendChild(el("ol", "path"));
      if (n.type !== "Cadre" && n.type !== "Resident") { ol.appendChild(el("li")).appendChild(el("strong", null, n.label)); }
      n.path.forEach(function (p) { ol.appendChild(el("li")).appendChild(link(p[0], p[1])); });
    }
    if (n.obs) {
      section("指标 figures");
      var ob = body.appendChild(el("ul"));
      n.obs.forEach(function (o) { ob.appendChild(el("li", null, o)); });
    }
    var rels = [];
    (outEdges[id] || []).forEach(function (e) { rels.push({e: e, other: e.to, out: true}); });
    (inEdges[id] || []).forEach(function (e) { rels.push({e: e, other: e.from, out: false}); });
    if (rels.length) {
      rels.sort(function (a, b) {
        var la = byId[a.other].label, lb = byId[b.other].label;
        return (a.out === b.out ? 0 : a.out ? -1 : 1) || (a.e.rel < b.e.rel ? -1 : a.e.rel > b.e.rel ? 1 : 0) ||
          (la < lb ? -1 : la > lb ? 1 : 0);
      });
      section("关系 relations (" + rels.length + ")");
      var rul = body.appendChild(el("ul", "relations"));
      listWithMore(rul, rels, 40, function (r) {
        var li = el("li");
        var zh = relOf(r.e.rel).zh;
        li.appendChild(el("span", "rel", r.out ? zh + " →" : "← " + zh));
        li.appendChild(link(r.other, byId[r.other].label));
        li.appendChild(el("span", "en", " " + classOf(byId[r.other].type).zh));
        if ((r.e.sentences || []).length || r.e.gazetteer) { li.appendChild(evidence(r.e)); }
        return li;
      });
    }
    if (n.sentences) {
      section("原文 source sentences (" + n.sentences.length + ")");
      var sd = body.appendChild(el("div", "sentences"));
      listWithMore(sd, n.sentences, 8, function (s) { return sentenceBlock(s[0], s[1]); });
    }
    if (n.articles) {
      section("报道 articles (" + n.articles.length + ")");
      var al = body.appendChild(el("ul"));
      listWithMore(al, n.articles, 20, function (i) {
        var a = DATA.articles[i];
        return el("li", null, a[1] ? a[0] + " — " + a[1] : a[0]);
      });
    }
    if (n.iri) { body.appendChild(el("div", "iri", n.iri)); }
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function showEdge(id) {
    var e = edges.get(id).info, r = relOf(e.rel);
    body.textContent = "";
    panel.removeAttribute("data-node");
    panel.setAttribute("data-edge", id);
    var h = body.appendChild(el("h2"));
    h.appendChild(link(e.from, byId[e.from].label));
    h.appendChild(el("span", "rel", " " + r.zh + " → "));
    h.appendChild(link(e.to, byId[e.to].label));
    body.appendChild(el("div", "type", "关系 relation · " + e.rel));
    if (e.kind) {
      body.appendChild(el("div", "bg", e.programs ? "实施类别中的次要项目 implements minor programs of this kind"
                                                  : "按名称归类，不在 RDF 中 grouped by name, not in the RDF"));
      if (e.programs) {
        section("项目 programs (" + e.programs.length + ")");
        var pl = body.appendChild(el("ul"));
        e.programs.forEach(function (pid) { pl.appendChild(el("li")).appendChild(link(pid, byId[pid].label)); });
      }
    }
    if (e.gazetteer) { body.appendChild(el("div", "bg", "行政区划 from the administrative-division gazetteer")); }
    if (e.sentences) {
      section("原文 source sentences (" + e.sentences.length + ")");
      e.sentences.forEach(function (i) { body.appendChild(sentenceBlock(i, [])); });
    }
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { hidePanel(); }
  });
  network.on("doubleClick", function (p) {
    var k = p.nodes.length && byId[p.nodes[0]];
    if (k && k.type === "ProgramKind") { openKind(k.name, !k.open); }
  });

  // a light hover tip (built on demand: thousands of prebuilt tooltips would slow loading)
  var tip = document.getElementById("pakg-tip");
  network.on("hoverNode", function (p) {
    var n = byId[p.node], k = classOf(n.type), pos = network.canvasToDOM(network.getPosition(p.node));
    tip.textContent = "";
    tip.appendChild(el("div", "t", n.label));
    tip.appendChild(el("div", "k", k.zh + " · " + k.en + (n.bg ? " · 背景 background" : "")));
    if (n.path) { tip.appendChild(el("div", "k", n.path.map(function (x) { return x[1]; }).join(" → "))); }
    tip.style.left = Math.round(pos.x + 14) + "px";
    tip.style.top = Math.round(pos.y + 14) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  // ---------------------------------------------------------------- fitting the view
  // The legend (left) and the panel (right) float over the canvas: the view is fitted to
  // the part of it they leave free, so that no node is drawn under them.
  var MARGIN = 16, MAX_FIT_SCALE = 1.5;
  function freeArea() {
    var box = container.getBoundingClientRect(), left = 0, right = box.width;
    var lg = legend.getBoundingClientRect();
    if (lg.width && lg.right - box.left < box.width / 2) { left = lg.right - box.left; }
    if (!panel.hidden) {
      var pl = panel.getBoundingClientRect().left - box.left;
      if (pl - left > box.width / 4) { right = pl; }
    }
    return {left: left + MARGIN, right: right - MARGIN, top: MARGIN, bottom: box.height - MARGIN,
            width: box.width, height: box.height};
  }
  function fitView() {
    var ids = nodes.getIds({filter: function (v) { return !hiddenNode[v.id]; }});
    if (!ids.length) { return; }
    network.redraw();   // (the bounding boxes of nodes just shown, labels included)
    var b = {left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity};
    ids.forEach(function (id) {
      var bb = network.getBoundingBox(id);
      b.left = Math.min(b.left, bb.left);
      b.right = Math.max(b.right, bb.right);
      b.top = Math.min(b.top, bb.top);
      b.bottom = Math.max(b.bottom, bb.bottom);
    });
    var a = freeArea();
    var scale = Math.min(MAX_FIT_SCALE, (a.right - a.left) / Math.max(1, b.right - b.left),
                         (a.bottom - a.top) / Math.max(1, b.bottom - b.top));
    network.moveTo({position: {x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2}, scale: scale,
                    offset: {x: (a.left + a.right - a.width) / 2, y: (a.top + a.bottom - a.height) / 2}});
    readableLabels();
  }

  // Labels are sized in canvas units, so a view zoomed out to fit the graph would shrink
  // them below reading size: as the view zooms out they grow (in steps, up to MAX_LABEL
  // times), so that at the fitted zoom a name or a relation still reads at about 11-12 px.
  var NODE_FONT = DATA.options.nodes.font.size, EDGE_FONT = DATA.options.edges.font.size, MAX_LABEL = 2.25;
  var labelStep = 1;
  function readableLabels() {
    var step = Math.round(Math.max(1, Math.min(MAX_LABEL, 0.85 / network.getScale())) * 4) / 4;
    if (step === labelStep) { return; }
    labelStep = step;
    network.setOptions({nodes: {font: {size: Math.round(NODE_FONT * step)}},
                        edges: {font: {size: Math.round(EDGE_FONT * step)}}});
  }
  network.on("zoom", readableLabels);

  // ---------------------------------------------------------------- settle, then stop
  function finished() {
    timings.stabilized = performance.now();
    window.pakgStabilized = true;
    document.body.setAttribute("data-stabilized", "true");
    status.textContent = DATA.summary + (DATA.physics ? "" : " · 预计算布局 precomputed layout");
  }
  if (DATA.physics) {
    status.textContent = "布局中 layout…";
    var progress = function (p) {
      status.textContent = "布局中 layout… " + Math.round(100 * p.iterations / p.total) + "%";
    };
    network.on("stabilizationProgress", progress);
    network.once("stabilizationIterationsDone", function () {
      network.off("stabilizationProgress", progress);
      network.setOptions({physics: false});
      fitView();
      network.once("afterDrawing", finished);
    });
  } else {
    network.once("afterDrawing", finished);
    fitView();
  }

  applyFilters();
  window.pakg = {find: find, focusNode: focusNode, showNode: showNode, showEdge: showEdge, hidePanel: hidePanel,
                 applyFilters: applyFilters, resetFilters: resetFilters, resize: resize, fitView: fitView,
                 freeArea: freeArea, openKind: openKind, kinds: kinds};
})();
