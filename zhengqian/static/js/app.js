// Keyboard habits of a clerk: "/" focuses search, "n" opens the "new" link, j/k move through
// table rows and Enter opens the focused row.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  let rowIndex = -1;
  function rows() { return Array.from(document.querySelectorAll("table.table-keyboard tbody tr[data-href]")); }
  function focusRow(i) {
    const all = rows();
    if (!all.length) return;
    rowIndex = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((r) => r.classList.remove("row-focus"));
    all[rowIndex].classList.add("row-focus");
    all[rowIndex].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "n") {
      const link = document.querySelector("[data-new]");
      if (link) { event.preventDefault(); window.location = link.href; }
    } else if (event.key === "j") { focusRow(rowIndex + 1); }
    else if (event.key === "k") { focusRow(rowIndex - 1); }
    else if (event.key === "Enter" && rowIndex >= 0) {
      const row = rows()[rowIndex];
      if (row) window.location = row.dataset.href;
    }
  });
  document.addEventListener("click", function (event) {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a,button,input,select")) window.location = row.dataset.href;
  });
})();
