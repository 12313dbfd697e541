/* The document page: the text (as text, never HTML) with each claim's evidence in <mark>. */
"use strict";
(function () {
  const { api, enc, showError, config } = window.CC;
  const id = config.document_id;

  async function main() {
    let body;
    try {
      body = await api("/api/documents/" + enc(id));
    } catch (err) {
      document.getElementById("doc-title").textContent = err.status === 404 ? "Unknown document" : "Error";
      showError(document.getElementById("doc-text"), err);
      return;
    }
    window.CCDoc.render(body.document || {}, body.claims || []);
    document.body.setAttribute("data-loaded", "1");
  }
  main();
})();
