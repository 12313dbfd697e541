/* The map page: places coloured by the state of their claims on a date, over a base layer drawn
   here (a 1° graticule, oblast labels) so that it works offline; online tiles only when the
   server is configured with COUNTERCLAIM_TILES. */
"use strict";
(function () {
  const { el, clear, api, items, STATES, STATE_ORDER, placeHref, stateBadge, describe, config } = window.CC;
  const UKRAINE = [[44.2, 22.0], [52.5, 40.3]];
  const DAY = 86400000;
  const status = document.getElementById("map-status");
  const slider = document.getElementById("date");
  const dateLabel = document.getElementById("date-label");
  const sideSel = document.getElementById("side");
  const outletSel = document.getElementById("outlet");
  const tbody = document.querySelector("#places-table tbody");
  const legend = document.getElementById("legend");

  if (!window.L) { status.textContent = "The map library is not installed (make vendor)."; }
  const L = window.L;
  const map = L ? L.map("map", { zoomSnap: 0.5, minZoom: 3, maxZoom: 14, worldCopyJump: false }) : null;
  const markers = new Map(); // place_id -> {marker, place}
  let minDate = null;
  let fitted = false;
  let request = 0;

  const isoDay = (t) => new Date(t).toISOString().slice(0, 10);
  const parseDay = (s) => Date.parse(String(s).slice(0, 10) + "T00:00:00Z");
  const sliderDate = () => (minDate === null ? null : isoDay(minDate + Number(slider.value) * DAY));

  // ------------------------------------------------------------------ base layer
  if (map) {
    map.fitBounds(UKRAINE);
    map.createPane("grid").style.zIndex = 250;
    map.createPane("regions").style.zIndex = 350;
    map.createPane("placelabels").style.zIndex = 450;
    map.getPane("placelabels").style.pointerEvents = "none";
    map.getPane("regions").style.pointerEvents = "none";
    map.getPane("grid").style.pointerEvents = "none";
    L.control.scale({ imperial: false }).addTo(map);
    if (config.tiles) {
      const osm = /openstreetmap\.org/.test(config.tiles);
      L.tileLayer(config.tiles, { maxZoom: 18, attribution: osm ? "© OpenStreetMap contributors" : "map tiles: " + new URL(config.tiles.replace(/\{s\}/g, "a")).host }).addTo(map);
      map.getContainer().classList.add("with-tiles");
    } else {
      map.attributionControl.addAttribution("offline base layer: 1° grid, oblast labels");
    }
    const grid = L.layerGroup().addTo(map);
    const fmt = (v, pos, neg) => `${Math.abs(v)}°${v >= 0 ? pos : neg}`;
    const drawGrid = () => {
      grid.clearLayers();
      const view = map.getBounds();
      const b = view.pad(0.5);
      const z = map.getZoom();
      const step = z < 4 ? 10 : z < 5 ? 5 : 1;
      const south = Math.max(-85, Math.floor(b.getSouth() / step) * step);
      const north = Math.min(85, Math.ceil(b.getNorth() / step) * step);
      const west = Math.floor(b.getWest() / step) * step;
      const east = Math.ceil(b.getEast() / step) * step;
      const style = (v) => ({ pane: "grid", interactive: false, color: "#9fb0c0", weight: v % 5 === 0 ? 1.2 : 0.6, opacity: 0.9 });
      for (let lat = south; lat <= north; lat += step) {
        L.polyline([[lat, west], [lat, east]], style(lat)).addTo(grid);
        if (lat > view.getSouth() && lat < view.getNorth()) {
          L.marker([lat, view.getWest()], { pane: "grid", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "grid-label grid-lat", html: `<span>${fmt(lat, "N", "S")}</span>`, iconSize: null }) }).addTo(grid);
        }
      }
      for (let lon = west; lon <= east; lon += step) {
        L.polyline([[south, lon], [north, lon]], style(lon)).addTo(grid);
        if (lon > view.getWest() && lon < view.getEast()) {
          L.marker([view.getNorth(), lon], { pane: "grid", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "grid-label grid-lon", html: `<span>${fmt(lon, "E", "W")}</span>`, iconSize: null }) }).addTo(grid);
        }
      }
    };
    map.on("moveend zoomend", drawGrid);
    drawGrid();

    api("/api/regions").then((body) => {
      const layer = L.layerGroup().addTo(map);
      for (const r of items(body)) {
        if (typeof r.lat !== "number" || typeof r.lon !== "number") continue;
        if (/ City$/.test(r.name || "")) continue; // a city drawn at oblast scale would cover its oblast's label
        const label = el("span", { class: "region-name", "data-region-id": r.id }, r.name || r.id);
        L.marker([r.lat, r.lon], { pane: "regions", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "region-label", html: label, iconSize: null }) }).addTo(layer);
      }
    }).catch(() => { /* labels are decoration */ });
  }

  // ------------------------------------------------------------------ legend
  const counts = {};
  function drawLegend() {
    clear(legend);
    for (const s of STATE_ORDER) {
      legend.append(el("li", { "data-state": s },
        el("span", { class: "swatch state-dot-" + s, style: `background:${STATES[s].color}` }),
        STATES[s].label, el("span", { class: "count" }, counts[s] ? ` ${counts[s]}` : "")));
    }
  }
  drawLegend();

  // ------------------------------------------------------------------ markers
  function styleFor(state, place) {
    const n = Number(place.claims) || 1;
    return {
      radius: Math.min(16, 6 + 2.2 * Math.sqrt(n)),
      color: state === "none" ? "#6b7280" : "#1f2933",
      weight: state === "disputed" ? 3 : 1.5,
      dashArray: state === "disputed" ? "4 3" : null,
      fillColor: STATES[state].color,
      fillOpacity: state === "none" ? 0.6 : 0.92,
    };
  }
  function tagElement(entry) {
    const path = entry.marker.getElement && entry.marker.getElement();
    if (!path) return;
    const p = entry.place;
    path.setAttribute("data-place-id", p.place_id);
    path.setAttribute("data-state", entry.state);
    path.setAttribute("data-color", STATES[entry.state].color);
    path.setAttribute("role", "link");
    path.setAttribute("tabindex", "0");
    path.setAttribute("aria-label", `${p.place}: ${STATES[entry.state].label}`);
    path.classList.add("place-marker");
  }
  function tooltipFor(p, state) {
    return el("div", { class: "tip" }, el("strong", {}, p.place || p.place_id),
      p.admin1 ? el("div", { class: "muted" }, p.admin1) : null,
      el("div", {}, stateBadge(state)),
      el("div", { class: "muted" }, `${p.claims || 0} claims · ${p.documents || 0} documents · click to open`));
  }
  function upsert(p, state) {
    if (!map || typeof p.lat !== "number" || typeof p.lon !== "number") return;
    let entry = markers.get(p.place_id);
    if (!entry) {
      const marker = L.circleMarker([p.lat, p.lon], styleFor(state, p)).addTo(map);
      entry = { marker, place: p, state };
      markers.set(p.place_id, entry);
      const go = () => { window.location.href = placeHref(p.place_id); };
      marker.on("click", go);
      L.marker([p.lat, p.lon], { pane: "placelabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "place-label", iconSize: null,
          html: el("span", { class: "place-name", "data-place-id": p.place_id }, p.place || p.place_id) }) }).addTo(map);
      marker.getElement().addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") go(); });
    } else {
      entry.place = Object.assign({}, entry.place, p);
      entry.state = state;
      entry.marker.setStyle(styleFor(state, entry.place));
    }
    entry.marker.unbindTooltip();
    entry.marker.bindTooltip(tooltipFor(entry.place, state), { direction: "top", offset: [0, -6] });
    tagElement(entry);
  }

  function sideText(v) {
    if (!v) return "–";
    if (typeof v === "string") return v;
    const d = v.date ? ` (${String(v.date).slice(0, 10)})` : "";
    return `${v.claimant ? v.claimant + ": " : ""}${describe(v)}${d}`;
  }

  function render(body) {
    const places = items(body);
    const seen = new Set();
    for (const s of STATE_ORDER) counts[s] = 0;
    clear(tbody);
    for (const p of places) {
      const state = STATES[p.state] ? p.state : "none";
      seen.add(p.place_id);
      counts[state] += 1;
      upsert(p, state);
      tbody.append(el("tr", { "data-place-id": p.place_id, "data-state": state },
        el("td", {}, el("a", { href: placeHref(p.place_id) }, p.place || p.place_id)),
        el("td", {}, [p.admin1, p.country].filter(Boolean).join(", ")),
        el("td", {}, stateBadge(state)),
        el("td", {}, sideText(p.ru)), el("td", {}, sideText(p.ua)),
        el("td", { class: "num" }, p.claims ?? ""), el("td", { class: "num" }, p.documents ?? "")));
    }
    for (const [id, entry] of markers) {
      if (!seen.has(id)) { counts.none += 1; upsert(entry.place, "none"); }
    }
    drawLegend();
    const on = sliderDate();
    const shown = STATE_ORDER.filter((s) => s !== "none" && counts[s]).map((s) => `${counts[s]} ${s}`).join(", ");
    status.textContent = `${places.length} place(s)${on ? " on " + on : ""}${shown ? ": " + shown : ""}.`;
    if (!places.length && !markers.size) status.textContent = "No place has claims yet: ingest some articles (counterclaim ingest).";
    if (map && !fitted && markers.size) {
      fitted = true;
      const pts = [...markers.values()].map((m) => m.marker.getLatLng());
      map.fitBounds(L.latLngBounds(pts).pad(0.2), { maxZoom: 8 });
    }
    placeLabels();
    document.body.setAttribute("data-loaded", String(Date.now()));
  }

  // names beside the markers: always for a few places, else only when zoomed in
  function placeLabels() {
    if (map) map.getContainer().classList.toggle("hide-place-labels", markers.size > 12 && map.getZoom() < 8);
  }
  if (map) map.on("zoomend", placeLabels);

  async function load() {
    const mine = ++request;
    const params = new URLSearchParams();
    const d = sliderDate();
    if (d) params.set("date", d);
    if (sideSel.value) params.set("side", sideSel.value);
    if (outletSel.value) params.set("outlet", outletSel.value);
    document.body.setAttribute("data-loading", "1");
    try {
      const body = await api("/api/places" + (params.toString() ? "?" + params : ""));
      if (mine !== request) return;
      if (minDate === null && body.dates && body.dates.min && body.dates.max) setupSlider(body.dates);
      render(body);
    } catch (err) {
      if (mine === request) status.textContent = "Could not load the places: " + err.message;
    } finally {
      if (mine === request) document.body.removeAttribute("data-loading");
    }
  }

  function setupSlider(dates) {
    minDate = parseDay(dates.min);
    const days = Math.max(0, Math.round((parseDay(dates.max) - minDate) / DAY));
    slider.max = String(days);
    slider.value = String(days);
    slider.disabled = days === 0;
    document.getElementById("date-min").textContent = String(dates.min).slice(0, 10);
    document.getElementById("date-max").textContent = String(dates.max).slice(0, 10);
    dateLabel.textContent = sliderDate();
  }

  let timer = null;
  slider.addEventListener("input", () => {
    dateLabel.textContent = sliderDate();
    clearTimeout(timer);
    timer = setTimeout(load, 120);
  });
  slider.addEventListener("change", () => { clearTimeout(timer); load(); });
  sideSel.addEventListener("change", load);
  outletSel.addEventListener("change", load);

  api("/api/documents?limit=200").then((body) => {
    const outlets = [...new Set(items(body).map((d) => d.outlet).filter(Boolean))].sort();
    for (const o of outlets) outletSel.append(el("option", { value: o }, o));
  }).catch(() => {});

  load();
})();
