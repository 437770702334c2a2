// Sort the dashboard's tables by the clicked column header (each cell carries its sort value in data-v).
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") !== "descending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var numeric = th.dataset.kind === "num";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v || "", y = b.cells[col].dataset.v || "";
        var order;
        if (numeric) {
          // an empty value (no score) sorts last either way
          if (x === "" || y === "") return (x === "") - (y === "");
          order = parseFloat(x) - parseFloat(y);
        } else {
          order = x.localeCompare(y, "th");
        }
        return down ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
