/* The disputes board: RU and UA claims side by side, newest first. */
"use strict";
(function () {
  const { el, clear, api, items, disputeCard, documentTexts, showError, pager } = window.CC;
  const box = document.getElementById("disputes");
  const statusBox = document.getElementById("disputes-status");
  const LIMIT = 50;

  async function load(offset) {
    try {
      const body = await api(`/api/disputes?limit=${LIMIT}&offset=${offset}`);
      const list = items(body).slice().sort((a, b) => String(b.end || b.start || "").localeCompare(String(a.end || a.start || "")));
      const texts = await documentTexts(list.flatMap((d) => [].concat(d.ru || [], d.ua || [])));
      clear(box);
      for (const d of list) box.append(disputeCard(d, { texts }));
      const total = body.total ?? list.length;
      statusBox.textContent = total ? `${total} dispute(s).` : "No disputes: the sources do not contradict each other (yet).";
      pager(document.getElementById("pager"), body, load);
      document.body.setAttribute("data-loaded", "1");
    } catch (err) {
      statusBox.textContent = "";
      showError(box, err);
    }
  }
  load(0);
})();
