// khabar dashboard: a map, a timeline, an actor graph, an incident table and a detail view, all drawn
// from this server's API. Every text from the store is put into the page as text (textContent or text
// nodes), never as markup, and the page's Content-Security-Policy runs scripts from this server only.
"use strict";

const FILTERS = ["since", "until", "country", "admin1", "place", "within_km", "actor", "type", "status", "text",
  "min_sources", "min_confidence", "rejected", "sort"];
const PAGE_SIZE = 25;
const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const OTHER_COLOUR = "#34495e";
const PERIOD = { day: 86400, week: 7 * 86400, month: 31 * 86400 };
const EDGE_COLOURS = { incident: "#c0392b", hostile: "#e67e22", allied: "#27ae60" };

const state = { filters: {}, offset: 0, incident: "" };
const view = { map: null, markers: null, admin1: null, timeline: null, graph: null };

// ---------- small helpers ----------

/** An element with a class and text, built without markup. */
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** The token the user typed, kept for this browser tab only. */
function token() {
  return sessionStorage.getItem("khabar-token") || "";
}

/** Fetch JSON from the API, with the token when one is set; errors carry the API's message. */
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token()) headers.Authorization = "Bearer " + token();
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.status + " " + response.statusText;
    throw new Error(message);
  }
  return body;
}

/** The query string of the current filters (plus extra parameters). */
function query(extra = {}) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

/** Show a message (or clear it). */
function say(text, isError = false) {
  const node = document.getElementById("message");
  node.textContent = text || "";
  node.className = isError ? "error" : "";
}

// ---------- URL state ----------

/** Read filters, page and open incident from the address bar. */
function readUrl() {
  const params = new URLSearchParams(location.search);
  state.filters = {};
  for (const name of FILTERS) if (params.get(name)) state.filters[name] = params.get(name);
  state.offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  state.incident = params.get("incident") || "";
  const form = document.getElementById("filters");
  for (const name of FILTERS) {
    const box = form.elements[name];
    if (box.type === "checkbox") box.checked = state.filters[name] === "true";
    else box.value = state.filters[name] || (name === "sort" ? "date" : "");
  }
}

/** Write the state to the address bar, so the view can be shared. */
function writeUrl(push = true) {
  const extra = {};
  if (state.offset) extra.offset = String(state.offset);
  if (state.incident) extra.incident = state.incident;
  const search = query(extra);
  const url = location.pathname + (search ? "?" + search : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

/** Set some filters, go back to the first page and redraw everything. */
function setFilters(changes) {
  for (const [name, value] of Object.entries(changes)) {
    if (value) state.filters[name] = value; else delete state.filters[name];
  }
  state.offset = 0;
  writeUrl();
  readUrl();
  refresh();
}

// ---------- map ----------

/** The map with country boundaries, and first-level divisions once zoomed in. */
async function setupMap() {
  view.map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([25, 45], 2);
  view.map.attributionControl.addAttribution("Boundaries: Natural Earth");
  const countries = await fetch("/static/geo/countries.json").then((r) => r.json());
  const layer = countries.objects[Object.keys(countries.objects)[0]];
  L.geoJSON(topojson.feature(countries, layer), {
    style: { color: "#8a8f98", weight: 0.8, fillColor: "#eef0ec", fillOpacity: 1 },
    interactive: false,
  }).addTo(view.map);
  view.map.on("zoomend", showAdmin1);
  view.markers = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  view.map.addLayer(view.markers);
  drawLegend();
}

/** Load and show first-level divisions when the map is zoomed in far enough to need them. */
async function showAdmin1() {
  const zoomed = view.map.getZoom() >= 5;
  if (zoomed && !view.admin1) {
    view.admin1 = "loading";
    const topo = await fetch("/static/geo/admin1.json").then((r) => r.json());
    view.admin1 = L.geoJSON(topojson.feature(topo, topo.objects.admin1), {
      style: { color: "#b3b7be", weight: 0.6, fill: false, dashArray: "3" },
      interactive: false,
    });
  }
  if (view.admin1 && view.admin1 !== "loading") {
    if (view.map.getZoom() >= 5) view.admin1.addTo(view.map); else view.admin1.remove();
  }
}

/** The legend of marker colours. */
function drawLegend() {
  const legend = document.getElementById("legend");
  for (const [name, colour] of Object.entries(TYPE_COLOURS).concat([["other", OTHER_COLOUR]])) {
    const item = element("span", name, "legend-item");
    const swatch = element("i");
    swatch.style.background = colour;
    item.prepend(swatch);
    legend.append(item);
  }
}

/** One marker per placed incident: size by deaths, colour by type; clustered when dense. */
function drawMap(points) {
  view.markers.clearLayers();
  const fields = points.fields;
  const at = (row, name) => row[fields.indexOf(name)];
  const markers = [];
  for (const row of points.items) {
    const deaths = at(row, "deaths") || 0;
    const size = Math.round(10 + Math.min(26, 4 * Math.sqrt(deaths)));
    const icon = L.divIcon({ className: "incident-marker", iconSize: [size, size] });
    const marker = L.marker([at(row, "lat"), at(row, "lon")], { icon, title: at(row, "place") || "" });
    marker.on("add", () => {
      const node = marker.getElement();
      if (node) {
        node.style.background = TYPE_COLOURS[at(row, "event_type")] || OTHER_COLOUR;
        node.dataset.incident = at(row, "id");
      }
    });
    const popup = element("div");
    popup.append(element("strong", at(row, "type") || "incident"), element("br"),
      element("span", (at(row, "place") || "") + " · " + (at(row, "date") || "undated")), element("br"),
      element("span", (deaths ? deaths + " killed · " : "") + at(row, "sources") + " source(s)"));
    const open = element("button", "details");
    open.type = "button";
    open.addEventListener("click", () => openIncident(at(row, "id")));
    popup.append(element("br"), open);
    marker.bindPopup(popup);
    markers.push(marker);
  }
  view.markers.addLayers(markers);
  const note = [];
  if (points.unplaced) note.push(points.unplaced + " without a place");
  if (points.truncated) note.push("showing the first " + points.items.length);
  document.getElementById("map-note").textContent = note.join(" · ");
  if (markers.length) view.map.fitBounds(view.markers.getBounds(), { padding: [20, 20], maxZoom: 8 });
}

// ---------- timeline ----------

/** Seconds since 1970 of an ISO day. */
function seconds(day) {
  return Date.parse(day + "T00:00:00Z") / 1000;
}

/** Bars of incidents and a line of deaths per period; dragging across selects a period. */
function drawTimeline(timeline) {
  const host = document.getElementById("timeline");
  if (view.timeline) view.timeline.destroy();
  host.textContent = "";
  if (!timeline.periods.length) {
    host.append(element("p", "No dated incidents.", "note"));
    view.timeline = null;
    return;
  }
  const xs = timeline.periods.map(seconds);
  const bars = uPlot.paths.bars({ size: [0.9, 40] });
  const options = {
    width: host.clientWidth || 600,
    height: 180,
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: true, range: (plot, min, max) => (min === max ? [min - PERIOD[timeline.bucket], max + PERIOD[timeline.bucket]] : [min, max]) },
      deaths: { auto: true } },
    axes: [{}, { label: "incidents per " + timeline.bucket }, { scale: "deaths", side: 1, label: "deaths", grid: { show: false } }],
    series: [
      {},
      { label: "incidents", stroke: "#2c3e50", fill: "rgba(44,62,80,0.35)", paths: bars, points: { show: false } },
      { label: "deaths", stroke: "#c0392b", scale: "deaths", width: 1.5, points: { show: false } },
    ],
    hooks: { setSelect: [selectPeriod] },
  };
  view.timeline = new uPlot(options, [xs, timeline.incidents, timeline.deaths], host);
  view.timeline.bucket = timeline.bucket;
}

/** The period under a drag on the timeline becomes the since/until filter. */
function selectPeriod(plot) {
  if (plot.select.width < 2) return;
  const from = plot.posToVal(plot.select.left, "x");
  const to = plot.posToVal(plot.select.left + plot.select.width, "x");
  const day = (s) => new Date(s * 1000).toISOString().slice(0, 10);
  plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
  setFilters({ since: day(from), until: day(to) });
}

// ---------- actor graph ----------

/** Actors as nodes (size by incidents), incidents and relations between them as weighted edges. */
function drawGraph(graph) {
  const elements = [];
  for (const node of graph.nodes) {
    elements.push({ data: { id: "n:" + node.id, actor: node.id, label: node.name, weight: node.incidents, kind: node.type } });
  }
  graph.edges.forEach((edge, n) => {
    elements.push({ data: { id: "e" + n, source: "n:" + edge.source, target: "n:" + edge.target, weight: edge.weight, kind: edge.kind } });
  });
  if (view.graph) view.graph.destroy();
  view.graph = cytoscape({
    container: document.getElementById("graph"),
    elements,
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 110,
        width: "mapData(weight, 0, 30, 12, 44)", height: "mapData(weight, 0, 30, 12, 44)",
        "background-color": "#5d6d7e", color: "#1b2631" } },
      { selector: "node[kind = 'armed_group']", style: { "background-color": "#c0392b" } },
      { selector: "node[kind = 'state_forces'], node[kind = 'state'], node[kind = 'government']", style: { "background-color": "#2471a3" } },
      { selector: "node[kind = 'civilians']", style: { "background-color": "#8e44ad" } },
      { selector: "edge", style: {
        width: "mapData(weight, 1, 20, 1, 8)", "line-color": "#aab7b8", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#aab7b8", opacity: 0.8 } },
      { selector: "edge[kind = 'incident']", style: { "line-color": EDGE_COLOURS.incident, "target-arrow-color": EDGE_COLOURS.incident } },
      { selector: "edge[kind = 'hostile']", style: { "line-color": EDGE_COLOURS.hostile, "target-arrow-color": EDGE_COLOURS.hostile } },
      { selector: "edge[kind = 'allied']", style: { "line-color": EDGE_COLOURS.allied, "target-arrow-color": EDGE_COLOURS.allied } },
    ],
    layout: { name: graph.nodes.length > 1 ? "cose" : "grid", animate: false, randomize: false, nodeRepulsion: 9000 },
  });
  view.graph.on("tap", "node", (event) => setFilters({ actor: event.target.data("label") }));
}

// ---------- table ----------

/** One page of incidents in the chosen order. */
function drawTable(page) {
  const body = document.querySelector("#incidents tbody");
  body.textContent = "";
  for (const item of page.items) {
    const row = document.createElement("tr");
    row.dataset.incident = item.incident_id;
    if (item.incident_id === state.incident) row.className = "open";
    for (const value of [item.shown_date || "undated", item.type, [item.place, item.admin1, item.country].filter(Boolean).join(", "),
      item.actor1, item.actor2, item.killed, item.sources, item.confidence]) {
      row.append(element("td", value));
    }
    row.addEventListener("click", () => openIncident(item.incident_id));
    body.append(row);
  }
  const last = page.offset + page.items.length;
  document.getElementById("count").textContent = page.total + " incident(s)";
  document.getElementById("page").textContent = page.total ? (page.offset + 1) + "–" + last + " of " + page.total : "";
  document.getElementById("previous").disabled = page.offset === 0;
  document.getElementById("next").disabled = page.next_offset === null;
}

/** Move the table by one page. */
function turnPage(step) {
  state.offset = Math.max(0, state.offset + step * PAGE_SIZE);
  writeUrl();
  loadTable().catch((error) => say(error.message, true));
}

// ---------- detail ----------

/** Show one incident: coding, disagreements, why it was merged, and each source's text with its evidence marked. */
async function openIncident(id, push = true) {
  state.incident = id;
  if (push) writeUrl();
  const detail = await api("/incidents/" + encodeURIComponent(id));
  const panel = document.getElementById("detail");
  panel.hidden = false;
  document.getElementById("detail-id").textContent = detail.incident_id;
  for (const row of document.querySelectorAll("#incidents tbody tr")) {
    row.className = row.dataset.incident === detail.incident_id ? "open" : "";
  }
  drawCoding(detail.incident, detail.actor_names || {});
  drawList("disagreements", "Disagreements between sources", detail.disagreements);
  drawList("explanation", "Why these reports are one incident",
    detail.explanation.map((line) => line.replace(/^#+\s*/, "").replace(/^[-*]\s+/, "")));
  await drawSources(detail.sources);
  panel.scrollIntoView({ block: "start" });
}

/** The incident's merged coding as a definition list. */
function drawCoding(incident, names) {
  const event = incident.event;
  const place = event.place && event.place.place ? event.place.place : null;
  const toll = incident.fatalities;
  const rows = [
    ["type", [event.event_type, event.sub_event_type, event.plover_type].filter(Boolean).join(" / ")],
    ["status", event.status],
    ["date", event.time ? event.time.start + (event.time.end !== event.time.start ? " to " + event.time.end : "") + " (" + event.time.precision + ")" : "undated"],
    ["place", place ? [place.name, place.admin1, place.country].filter(Boolean).join(", ") : (event.place ? event.place.surface : "")],
    ["actor 1", names[event.actor1] || event.actor1], ["actor 2", names[event.actor2] || event.actor2],
    ["claimed by", names[event.claimed_by] || event.claimed_by],
    ["killed", toll ? [toll.low, toll.best, toll.high].map((v) => (v === null || v === undefined ? "?" : v)).join(" / ") + " (low / best / high)" : ""],
    ["sources", incident.sources.length], ["review", incident.review || "none"],
  ];
  const list = document.getElementById("coding");
  list.textContent = "";
  for (const [name, value] of rows) list.append(element("dt", name), element("dd", value === "" ? "—" : value));
}

/** A titled list of plain-text lines (nothing when empty). */
function drawList(id, title, lines) {
  const host = document.getElementById(id);
  host.textContent = "";
  if (!lines || !lines.length) return;
  host.append(element("h3", title));
  const list = element("ul");
  for (const line of lines) list.append(element("li", line));
  host.append(list);
}

/** Each source: its document's details and text, the sentences this incident came from highlighted. */
async function drawSources(sources) {
  const host = document.getElementById("sources");
  host.textContent = "";
  host.append(element("h3", "Sources"));
  for (const source of sources) {
    const box = element("article", null, "source");
    const doc = source.document || {};
    box.append(element("h4", doc.title || doc.doc_id || "document"));
    const meta = element("p", [doc.outlet, doc.published].filter(Boolean).join(" · "), "note");
    const url = safeUrl(doc.url);
    if (url) {
      const link = element("a", doc.url);
      link.href = url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      meta.append(" · ", link);
    }
    box.append(meta);
    if (doc.doc_id) {
      const split = element("button", "split this report off", "split");
      split.type = "button";
      split.addEventListener("click", () => curate("split", { doc: doc.doc_id }));
      box.append(split);
      const text = await api("/documents/" + encodeURIComponent(doc.doc_id));
      box.append(markedText(text.text, text.spans, source.event.event_id, source.evidence));
    }
    host.append(box);
  }
  const first = host.querySelector("mark.evidence");
  if (first) first.scrollIntoView({ block: "nearest" });
}

/** An http(s) address, or "" for anything else (javascript:, data:, file paths...). */
function safeUrl(text) {
  if (!text) return "";
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  } catch (error) {
    return "";
  }
}

/** The article text with this source's evidence spans wrapped in <mark>, built from text nodes only. */
function markedText(text, spans, eventId, evidence) {
  const own = spans.filter((s) => s.kind === "event" && s.ref === eventId && !s.field);
  const chosen = own.length ? own : (evidence || []).map((e) => ({ start: e.start, end: e.end }));
  const ranges = chosen.map((s) => [s.start, s.end]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const block = element("div", null, "document-text");
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) block.append(document.createTextNode(text.slice(at, from)));
    block.append(element("mark", text.slice(from, end), "evidence"));
    at = end;
  }
  block.append(document.createTextNode(text.slice(at)));
  return block;
}

/** Run one curation action on the open incident with the token, then redraw. */
async function curate(action, body = {}) {
  const result = document.getElementById("curation-result");
  if (!token()) {
    result.textContent = "Enter the token `khabar serve` printed at its first start.";
    return;
  }
  try {
    const detail = await api("/incidents/" + encodeURIComponent(state.incident) + "/" + action, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    result.textContent = action + ": done";
    state.incident = detail.incident_id;
    writeUrl(false);
    await refresh();
  } catch (error) {
    result.textContent = action + " failed: " + error.message;
  }
}

// ---------- loading ----------

/** Load one table page. */
async function loadTable() {
  const page = await api("/incidents?" + query({ limit: PAGE_SIZE, offset: state.offset }));
  drawTable(page);
}

/** Redraw every panel for the current filters. */
async function refresh() {
  say("loading…");
  document.body.dataset.ready = "no";
  try {
    const [overview] = await Promise.all([api("/overview?" + query()), loadTable()]);
    drawMap(overview.points);
    drawTimeline(overview.timeline);
    drawGraph(overview.graph);
    say("");
    if (state.incident) await openIncident(state.incident, false);
    else document.getElementById("detail").hidden = true;
  } catch (error) {
    say(error.message, true);
  } finally {
    document.body.dataset.ready = "yes";
  }
}

/** Names for the actor and type boxes, from the whole store. */
async function fillSuggestions() {
  const stats = await api("/stats");
  for (const [id, names] of [["actor-names", Object.keys(stats.by_actor)], ["type-names", Object.keys(stats.by_type)]]) {
    const list = document.getElementById(id);
    for (const name of names) {
      const option = document.createElement("option");
      option.value = name;
      list.append(option);
    }
  }
}

/** Wire the controls and draw the first view. */
async function start() {
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const changes = {};
    for (const name of FILTERS) {
      const box = form.elements[name];
      changes[name] = box.type === "checkbox" ? (box.checked ? "true" : "") : box.value.trim();
    }
    if (changes.sort === "date") changes.sort = "";
    setFilters(changes);
  });
  document.getElementById("clear").addEventListener("click", () => {
    state.filters = {};
    state.incident = "";
    setFilters({});
  });
  document.getElementById("whole-period").addEventListener("click", () => setFilters({ since: "", until: "" }));
  document.getElementById("previous").addEventListener("click", () => turnPage(-1));
  document.getElementById("next").addEventListener("click", () => turnPage(1));
  document.getElementById("close-detail").addEventListener("click", () => {
    state.incident = "";
    writeUrl();
    document.getElementById("detail").hidden = true;
  });
  const tokenBox = document.getElementById("token");
  tokenBox.value = token();
  tokenBox.addEventListener("change", () => sessionStorage.setItem("khabar-token", tokenBox.value.trim()));
  document.getElementById("curation").addEventListener("submit", (event) => event.preventDefault());
  for (const button of document.querySelectorAll("#curation button[data-action]")) {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      curate(action, action === "merge" ? { other: document.getElementById("merge-other").value.trim() } : {});
    });
  }
  window.addEventListener("popstate", () => { readUrl(); refresh(); });
  readUrl();
  await setupMap();
  fillSuggestions().catch(() => {});
  await refresh();
}

start().catch((error) => say("The dashboard could not start: " + error.message, true));
