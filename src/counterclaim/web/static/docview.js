/* Shared by the document and analyze pages: a text with its claims' evidence highlighted and
   the claims table beside it; hovering or clicking links the two. */
"use strict";
(function () {
  const { el, clear, highlight, describe, sideBadge, fmtDate, placeHref } = window.CC;

  /** The claims beside the text: one compact card each (the text carries the evidence). */
  function claimList(claims) {
    const list = el("ol", { class: "claim-list" });
    for (const c of claims) {
      const place = c.place_id ? el("a", { href: placeHref(c.place_id) }, c.place || c.place_id) : (c.place || "");
      list.append(el("li", { class: "claim-row", "data-claim-id": c.id, id: "row-claim-" + c.id, tabindex: "0" },
        el("div", { class: "claim-what" }, el("strong", {}, describe(c)), " · ", place,
          c.percent !== null && c.percent !== undefined && c.status !== "partial" ? ` · ${c.percent}%` : ""),
        el("div", { class: "claim-who" }, sideBadge(c.claimant_side), " ", c.claimant || "unknown claimant"),
        el("div", { class: "claim-when muted" }, fmtDate(c.date),
          c.date_precision && c.date_precision !== "day" ? ` (${c.date_precision})` : "",
          c.cue ? ` · cue “${c.cue}”` : "",
          c.confidence !== undefined && c.confidence !== null ? ` · confidence ${Number(c.confidence).toFixed(2)}` : "")));
    }
    return list;
  }

  function render(doc, claims) {
    const title = doc.title || doc.url || [doc.outlet, doc.published].filter(Boolean).join(", ") || "Untitled text";
    document.title = `${title} · counterclaim`;
    const t = document.getElementById("doc-title") || document.getElementById("analysis-title");
    if (t) t.textContent = title;
    const crumb = document.getElementById("crumb");
    if (crumb) crumb.textContent = title;
    const meta = clear(document.getElementById("doc-meta") || document.getElementById("analysis-meta"));
    meta.append(fmtDate(doc.published), " · ", doc.outlet || "unknown outlet", " ", sideBadge(doc.outlet_side),
      doc.language ? ` · ${doc.language}` : "", doc.id ? ` · id ${doc.id}` : "");
    if (doc.url && /^https?:\/\//i.test(doc.url)) {
      meta.append(" · ", el("a", { href: doc.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original"));
    }
    const spans = claims.filter((c) => Array.isArray(c.evidence_span)).map((c) => ({
      start: c.evidence_span[0], end: c.evidence_span[1], id: c.id ?? "",
      title: `${c.claimant || "?"} [${c.claimant_side || "?"}]: ${describe(c)} — ${c.place || ""}`,
    }));
    const textBox = clear(document.getElementById("doc-text"));
    textBox.append(highlight(doc.text || "", spans));
    document.getElementById("claims-count").textContent = `(${claims.length})`;
    const table = claimList(claims);
    clear(document.getElementById("claims")).append(claims.length ? table : el("p", { class: "muted" }, "No claims found in this text."));
    link(textBox, table);
  }

  function link(textBox, table) {
    const marksOf = (cid) => [...textBox.querySelectorAll("mark")].filter((m) => (m.dataset.claimIds || "").split(" ").includes(String(cid)));
    const rowOf = (cid) => table.querySelector(`.claim-row[data-claim-id="${CSS.escape(String(cid))}"]`);
    const on = (cid, yes) => {
      for (const m of marksOf(cid)) m.classList.toggle("active", yes);
      const r = rowOf(cid);
      if (r) r.classList.toggle("active", yes);
    };
    table.addEventListener("mouseover", (ev) => { const r = ev.target.closest(".claim-row"); if (r) on(r.dataset.claimId, true); });
    table.addEventListener("mouseout", (ev) => { const r = ev.target.closest(".claim-row"); if (r) on(r.dataset.claimId, false); });
    table.addEventListener("click", (ev) => {
      const r = ev.target.closest(".claim-row");
      if (!r || ev.target.closest("a")) return;
      const m = marksOf(r.dataset.claimId)[0];
      if (m) { m.scrollIntoView({ block: "center", behavior: "smooth" }); flash(m); }
    });
    textBox.addEventListener("mouseover", (ev) => { const m = ev.target.closest("mark"); if (m) m.dataset.claimIds.split(" ").forEach((c) => on(c, true)); });
    textBox.addEventListener("mouseout", (ev) => { const m = ev.target.closest("mark"); if (m) m.dataset.claimIds.split(" ").forEach((c) => on(c, false)); });
    const hash = decodeURIComponent(location.hash || "").match(/^#claim-(.+)$/);
    if (hash) {
      const m = marksOf(hash[1])[0];
      if (m) { m.scrollIntoView({ block: "center" }); flash(m); }
      const r = rowOf(hash[1]);
      if (r) r.classList.add("target");
    }
  }
  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
  }
  window.CCDoc = { render };
})();
