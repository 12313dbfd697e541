/* The place page: timeline chart, disputes, agreements and every claim with its evidence. */
"use strict";
(function () {
  const { el, clear, api, enc, claimsTable, disputeCard, documentTexts, showError, config } = window.CC;
  const id = config.place_id;
  const claimsBox = document.getElementById("claims");

  async function main() {
    let body;
    try {
      body = await api("/api/places/" + enc(id));
    } catch (err) {
      document.getElementById("place-name").textContent = err.status === 404 ? "Unknown place" : "Error";
      showError(claimsBox, err);
      return;
    }
    const p = body.place || {};
    const name = p.name || p.place || id;
    document.title = `${name} · counterclaim`;
    document.getElementById("place-name").textContent = name;
    document.getElementById("crumb").textContent = name;
    const coords = typeof p.lat === "number" && typeof p.lon === "number" ? `${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}` : null;
    document.getElementById("place-meta").textContent =
      [p.admin1, p.country, coords, p.geonameid ? "GeoNames " + p.geonameid : p.id].filter(Boolean).join(" · ");

    const img = document.getElementById("timeline");
    img.addEventListener("load", () => { img.hidden = false; });
    img.addEventListener("error", () => {
      img.replaceWith(el("p", { class: "muted" }, "No timeline chart for this place."));
    });
    img.src = "/api/timeline/" + enc(p.id || id) + ".svg";

    const claims = body.claims || [];
    const disputes = body.disputes || [];
    const agreements = body.agreements || [];
    const texts = await documentTexts(claims.concat(...disputes.map((d) => [].concat(d.ru || [], d.ua || []))));
    document.getElementById("claims-count").textContent = `(${claims.length})`;
    document.getElementById("disputes-count").textContent = `(${disputes.length})`;
    document.getElementById("agreements-count").textContent = `(${agreements.length})`;
    const dBox = clear(document.getElementById("disputes"));
    if (!disputes.length) dBox.append(el("p", { class: "muted" }, "The sides do not contradict each other here."));
    for (const d of disputes) dBox.append(disputeCard(d, { texts, placeLink: false }));
    const aBox = clear(document.getElementById("agreements"));
    if (!agreements.length) aBox.append(el("p", { class: "muted" }, "No agreement between the sides found."));
    for (const a of agreements) aBox.append(disputeCard(a, { texts, placeLink: false }));
    clear(claimsBox).append(claims.length ? claimsTable(claims, { place: false, texts }) : el("p", { class: "muted" }, "No claims."));
    document.body.setAttribute("data-loaded", "1");
  }
  main();
})();
