/* Search over documents and claims. */
"use strict";
(function () {
  const { el, clear, api, items, claimsTable, sideBadge, fmtDate, documentHref, showError, config } = window.CC;
  const q = (config.q || "").trim();
  const statusBox = document.getElementById("search-status");

  async function main() {
    if (!q) { statusBox.textContent = "Type words to find in the documents and claims (place names in any spelling, outlets, claimants)."; return; }
    statusBox.textContent = "Searching…";
    let body;
    try {
      body = await api("/api/search?q=" + encodeURIComponent(q));
    } catch (err) {
      statusBox.textContent = "";
      showError(document.getElementById("results").parentElement, err);
      return;
    }
    const docs = items(body.documents || []);
    const claims = items(body.claims || []);
    const tbody = clear(document.querySelector("#documents-table tbody"));
    for (const d of docs) {
      tbody.append(el("tr", { "data-document-id": d.id },
        el("td", { class: "nowrap" }, fmtDate(d.published)),
        el("td", {}, d.outlet || "", d.outlet_side ? [" ", sideBadge(d.outlet_side)] : null),
        el("td", {}, el("a", { href: documentHref(d.id) }, d.title || d.url || d.id),
          d.snippet ? el("div", { class: "muted snippet" }, String(d.snippet)) : null)));
    }
    document.getElementById("documents-count").textContent = `(${docs.length})`;
    document.getElementById("claims-count").textContent = `(${claims.length})`;
    clear(document.getElementById("claims")).append(claims.length ? claimsTable(claims, {}) : el("p", { class: "muted" }, "No claims match."));
    if (!docs.length) tbody.append(el("tr", {}, el("td", { colspan: 3, class: "muted" }, "No documents match.")));
    statusBox.textContent = `${docs.length} document(s) and ${claims.length} claim(s) for “${q}”.`;
    document.getElementById("results").hidden = false;
    document.body.setAttribute("data-loaded", "1");
  }
  main();
})();
