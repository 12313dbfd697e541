/* counterclaim pages: shared helpers. Article text and claim fields are only ever put into the
   page as text (textContent / text nodes), never as HTML. */
"use strict";
(function () {
  const cfgNode = document.getElementById("page-config");
  const config = cfgNode ? JSON.parse(cfgNode.textContent || "{}") : {};

  const STATES = {
    "agree-RU": { label: "both sides: RU control", color: "#d0312d" },
    "agree-UA": { label: "both sides: UA control", color: "#1f5fbf" },
    "disputed": { label: "disputed", color: "#8e3fb5" },
    "fighting": { label: "fighting reported", color: "#e89a00" },
    "one-sided": { label: "one side only", color: "#8a8f98" },
    "none": { label: "no dated claim by then", color: "#ffffff" },
  };
  const STATE_ORDER = ["agree-RU", "agree-UA", "disputed", "fighting", "one-sided", "none"];

  /** el("a", {href: "/x", class: "y"}, "text", otherNode) -> element; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  }
  function append(node, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(node, c);
      else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  async function api(path, options) {
    const resp = await fetch(path, Object.assign({ headers: { Accept: "application/json" } }, options || {}));
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      const msg = body && (body.error || body.detail) ? (body.error || body.detail) : resp.statusText;
      const err = new Error(`${resp.status}: ${typeof msg === "string" ? msg : JSON.stringify(msg)}`);
      err.status = resp.status;
      err.body = body;
      throw err;
    }
    return body;
  }
  const items = (body) => (Array.isArray(body) ? body : (body && body.items) || []);

  function enc(id) { return encodeURIComponent(String(id)); }
  function placeHref(id) { return "/places/" + enc(id); }
  function documentHref(id, claimId) {
    return "/documents/" + enc(id) + (claimId !== undefined && claimId !== null ? "#claim-" + claimId : "");
  }

  function sideBadge(side) {
    const s = side || "UNKNOWN";
    return el("span", { class: "side side-" + s.toLowerCase(), title: "side: " + s }, s);
  }
  function stateBadge(state) {
    const s = STATES[state] ? state : "none";
    return el("span", { class: "state state-" + s, "data-state": s }, STATES[s].label);
  }

  /** "controls (RU)", "holds 40% (RU)", "denies RU control", "fighting" ... */
  function describe(c) {
    if (!c) return "";
    const ctrl = c.controller ? ` ${c.controller}` : "";
    switch (c.status) {
      case "controls": return `controls${ctrl}`;
      case "partial": return c.percent !== null && c.percent !== undefined ? `${ctrl.trim() || "?"} holds ${fmtPct(c.percent)}` : `partial${ctrl}`;
      case "denies": return `denies${ctrl} control`;
      case "withdrew": return `withdrawal${ctrl ? " of" + ctrl : ""}`;
      case "encircled": return `encircled${ctrl ? " (held by" + ctrl + ")" : ""}`;
      default: return String(c.status || "");
    }
  }
  function fmtPct(p) { return (Math.round(Number(p) * 10) / 10) + "%"; }
  function fmtDate(d) { return d ? String(d).slice(0, 10) : "undated"; }

  /* Offsets from the server count Unicode code points (Python); JS strings count UTF-16
     units. toUnits maps code point offsets to UTF-16 offsets for a text. */
  function unitMapper(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const map = [];
    let u = 0;
    for (const ch of text) { map.push(u); u += ch.length; }
    map.push(u);
    return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
  }

  /** A fragment of `text` with each span {start, end, id, attrs} wrapped in <mark>; overlapping
      spans share a mark that names every claim (data-claim-ids) and the first (data-claim-id). */
  function highlight(text, spans, opts) {
    const o = opts || {};
    const toU = o.codePoints === false ? (i) => i : unitMapper(text);
    const marks = (spans || [])
      .map((s) => ({ start: toU(s.start), end: toU(s.end), id: s.id, title: s.title }))
      .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start && s.start >= 0 && s.end <= text.length);
    const cuts = new Set([0, text.length]);
    for (const m of marks) { cuts.add(m.start); cuts.add(m.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    const firstAt = new Set();
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = marks.filter((m) => m.start <= a && m.end >= b);
      if (!covering.length) { frag.append(document.createTextNode(piece)); continue; }
      const ids = covering.map((m) => m.id);
      const mark = el("mark", {
        "data-claim-id": ids[0],
        "data-claim-ids": ids.join(" "),
        title: covering.map((m) => m.title).filter(Boolean).join("\n") || null,
      }, piece);
      for (const m of covering) {
        if (m.start === a && !firstAt.has(m.id) && m.id !== undefined) { firstAt.add(m.id); mark.id = mark.id || "claim-" + m.id; }
      }
      frag.append(mark);
    }
    return frag;
  }

  /** The [start, end) code point range of the sentence around a span of `text`. */
  function sentenceAround(text, start, end) {
    const cps = Array.from(text);
    let s = start;
    while (s > 0) {
      const ch = cps[s - 1];
      if (ch === "\n" || ((ch === "." || ch === "!" || ch === "?") && /\s/.test(cps[s] || " "))) break;
      s--;
    }
    let e = end;
    while (e < cps.length) {
      const ch = cps[e];
      if (ch === "\n") break;
      e++;
      if ((ch === "." || ch === "!" || ch === "?") && /\s|$/.test(cps[e] || "")) break;
    }
    while (s < start && /\s/.test(cps[s])) s++;
    return [s, e, cps];
  }

  /** The evidence of a claim: its sentence (when the document text is known) with the evidence
      words in <mark>; else the evidence words alone. */
  function evidence(c, docText) {
    const span = c.evidence_span;
    const box = el("blockquote", { class: "evidence" });
    if (docText && Array.isArray(span) && span.length === 2) {
      const [s, e, cps] = sentenceAround(docText, span[0], span[1]);
      const sentence = cps.slice(s, e).join("");
      box.append(highlight(sentence, [{ start: span[0] - s, end: span[1] - s, id: c.id }]));
    } else {
      box.append(el("mark", { "data-claim-id": c.id }, c.evidence || ""));
    }
    return box;
  }

  const docCache = new Map();
  function loadDocument(id) {
    if (!docCache.has(id)) docCache.set(id, api("/api/documents/" + enc(id)).catch(() => null));
    return docCache.get(id);
  }
  /** {document_id: text} for the documents of `claims` (fetched in parallel, cached). */
  async function documentTexts(claims) {
    const ids = [...new Set(claims.map((c) => c.document_id).filter(Boolean))];
    const out = {};
    await Promise.all(ids.map(async (id) => {
      const body = await loadDocument(id);
      if (body && body.document) out[id] = body.document.text;
    }));
    return out;
  }

  /** A table of claims; columns picked by opts (place, document, evidence). */
  function claimsTable(claims, opts) {
    const o = Object.assign({ place: true, outlet: true, evidence: true, texts: {} }, opts || {});
    const head = ["Date", "Claimant", "Side"];
    if (o.place) head.push("Place");
    head.push("Claim", "Status", "Ctrl", "%");
    if (o.outlet) head.push("Outlet");
    if (o.evidence) head.push("Evidence");
    const tbody = el("tbody");
    for (const c of claims) {
      const row = el("tr", { "data-claim-id": c.id, class: "claim-row", id: o.rowIds ? "row-claim-" + c.id : null },
        el("td", { class: "nowrap" }, fmtDate(c.date), c.date_precision && c.date_precision !== "day" ? el("small", { class: "muted" }, " (" + c.date_precision + ")") : null),
        el("td", {}, c.claimant || ""),
        el("td", {}, sideBadge(c.claimant_side)));
      if (o.place) row.append(el("td", {}, c.place_id ? el("a", { href: placeHref(c.place_id) }, c.place || c.place_id) : (c.place || "")));
      row.append(el("td", { class: "claim-desc" }, describe(c)),
        el("td", {}, c.status || ""), el("td", {}, c.controller || "–"),
        el("td", { class: "num" }, c.percent !== null && c.percent !== undefined ? fmtPct(c.percent) : "–"));
      if (o.outlet) row.append(el("td", {}, c.outlet || "", c.outlet_side ? [" ", sideBadge(c.outlet_side)] : null));
      if (o.evidence) {
        row.append(el("td", { class: "evidence-cell" }, evidence(c, o.texts[c.document_id]),
          c.document_id ? el("a", { class: "doc-link", href: documentHref(c.document_id, c.id) }, "in the document →") : null,
          c.confidence !== undefined && c.confidence !== null ? el("small", { class: "muted" }, ` confidence ${Number(c.confidence).toFixed(2)}`) : null));
      }
      tbody.append(row);
    }
    return el("table", { class: "data claims" }, el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))), tbody);
  }

  /** A card of one side of a dispute or agreement. */
  function sideColumn(side, claims, texts) {
    const col = el("div", { class: "side-col side-col-" + side.toLowerCase(), "data-side": side },
      el("h4", {}, sideBadge(side), side === "OTHER" ? " third parties" : " side"));
    if (!claims || !claims.length) { col.append(el("p", { class: "muted" }, "no claim")); return col; }
    for (const c of claims) {
      col.append(el("div", { class: "claim-card", "data-claim-id": c.id },
        el("div", { class: "claim-head" },
          el("strong", {}, c.claimant || "unknown"), " · ", describe(c), " · ", fmtDate(c.date)),
        evidence(c, texts && texts[c.document_id]),
        el("div", { class: "claim-foot" }, c.outlet ? [c.outlet, " · "] : null,
          c.document_id ? el("a", { href: documentHref(c.document_id, c.id) }, "source document →") : null)));
    }
    return col;
  }

  function disputeCard(d, opts) {
    const o = opts || {};
    const card = el("article", { class: "dispute", "data-place-id": d.place_id, "data-kind": d.kind || "" },
      el("header", {},
        el("h3", {}, o.placeLink === false ? (d.place || "") : el("a", { href: placeHref(d.place_id) }, d.place || d.place_id)),
        el("span", { class: "period" }, fmtDate(d.start), d.end && d.end !== d.start ? " – " + fmtDate(d.end) : ""),
        d.kind ? el("span", { class: "kind" }, d.kind) : null),
      d.summary ? el("p", { class: "summary" }, d.summary) : null,
      el("div", { class: "sides" }, sideColumn("RU", d.ru, o.texts), sideColumn("UA", d.ua, o.texts)));
    if (d.other && d.other.length) {
      card.append(el("details", { class: "context" }, el("summary", {}, `${d.other.length} third-party claim(s) as context`),
        sideColumn("OTHER", d.other, o.texts)));
    }
    return card;
  }

  function showError(node, err) {
    clear(node).append(el("p", { class: "error" }, "Could not load: " + (err && err.message ? err.message : String(err))));
  }

  function pager(node, body, onPage) {
    clear(node);
    if (!body || body.total === undefined || body.limit === undefined) return;
    const { total, limit, offset } = body;
    if (total <= limit) return;
    if (offset > 0) node.append(el("button", { type: "button", onclick: () => onPage(Math.max(0, offset - limit)) }, "← newer"));
    node.append(` ${offset + 1}–${Math.min(total, offset + limit)} of ${total} `);
    if (offset + limit < total) node.append(el("button", { type: "button", onclick: () => onPage(offset + limit) }, "older →"));
  }

  window.CC = {
    config, STATES, STATE_ORDER, el, append, clear, api, items, enc, placeHref, documentHref, sideBadge,
    stateBadge, describe, fmtDate, fmtPct, highlight, sentenceAround, evidence, documentTexts, loadDocument,
    claimsTable, sideColumn, disputeCard, showError, pager,
  };
})();
