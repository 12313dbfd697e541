/* The analyze page: POST /api/analyze with the bearer token, show the extraction at once. */
"use strict";
(function () {
  const { api } = window.CC;
  const form = document.getElementById("analyze-form");
  const statusBox = document.getElementById("analyze-status");
  const button = document.getElementById("analyze-submit");
  const tokenInput = document.getElementById("token");
  try { tokenInput.value = sessionStorage.getItem("counterclaim-token") || ""; } catch (e) { /* private mode */ }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = document.getElementById("text").value;
    const url = document.getElementById("url").value.trim();
    if (!text.trim() && !url) { statusBox.textContent = "Paste a text or give a URL."; return; }
    const payload = text.trim() ? { text } : { url };
    const published = document.getElementById("published").value;
    const outlet = document.getElementById("outlet").value.trim();
    if (published) payload.published = published;
    if (outlet) payload.outlet = outlet;
    payload.store = document.getElementById("store").checked;
    const token = tokenInput.value.trim();
    try { sessionStorage.setItem("counterclaim-token", token); } catch (e) { /* private mode */ }
    button.disabled = true;
    statusBox.textContent = "Analysing…";
    try {
      const body = await api("/api/analyze", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token },
        body: JSON.stringify(payload),
      });
      const doc = body.document || {};
      const claims = (body.claims || []).map((c, i) => Object.assign({ id: c.id ?? "new-" + i }, c));
      document.getElementById("analysis").hidden = false;
      window.CCDoc.render(doc, claims);
      const places = body.places || [];
      statusBox.textContent = `${claims.length} claim(s), ${places.length} place(s)` +
        (payload.store ? (doc.id ? " — stored." : "") : " — not stored.");
      document.body.setAttribute("data-analyzed", "1");
    } catch (err) {
      statusBox.textContent = err.status === 401 || err.status === 403 ? "The token was refused." : "Failed: " + err.message;
    } finally {
      button.disabled = false;
    }
  });
})();
