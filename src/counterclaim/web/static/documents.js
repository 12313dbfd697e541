/* The list of stored documents. */
"use strict";
(function () {
  const { el, clear, api, items, sideBadge, fmtDate, showError, pager, documentHref } = window.CC;
  const tbody = document.querySelector("#documents-table tbody");
  const statusBox = document.getElementById("documents-status");
  const LIMIT = 50;

  async function load(offset) {
    try {
      const body = await api(`/api/documents?limit=${LIMIT}&offset=${offset}`);
      clear(tbody);
      for (const d of items(body)) {
        tbody.append(el("tr", { "data-document-id": d.id },
          el("td", { class: "nowrap" }, fmtDate(d.published)),
          el("td", {}, d.outlet || "", " ", sideBadge(d.outlet_side)),
          el("td", {}, el("a", { href: documentHref(d.id) }, d.title || d.url || d.id)),
          el("td", { class: "num" }, d.claims ?? "")));
      }
      const total = body.total ?? items(body).length;
      statusBox.textContent = total ? `${total} document(s), newest first.` : "No documents yet: ingest some (counterclaim ingest).";
      pager(document.getElementById("pager"), body, load);
      document.body.setAttribute("data-loaded", "1");
    } catch (err) {
      statusBox.textContent = "";
      showError(tbody.parentElement.parentElement, err);
    }
  }
  load(0);
})();
