// Each cell of a table's body carries its column's heading (data-label), which the
// stylesheet shows before the cell when a narrow screen turns rows into blocks.
document.querySelectorAll("main table").forEach((table) => {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, index) => {
      if (headings[index] && cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", headings[index]);
      }
    });
  });
});
