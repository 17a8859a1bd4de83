// sitegen: sort and filter the all-claims table. Without JavaScript the filter form stays
// hidden and every row shows. Filters can come from the address: ?topic=...&level=...
(() => {
  const table = document.querySelector("table[data-claims-table]");
  const form = document.querySelector("form[data-claims-filter]");
  if (!table || !form) return;
  const body = table.tBodies[0];
  const rows = [...body.rows];
  const selects = [...form.querySelectorAll("select")];
  const params = new URLSearchParams(location.search);
  for (const select of selects) select.value = params.get(select.name) || "";
  const apply = () => {
    const wanted = selects.filter((s) => s.value);
    let shown = 0;
    for (const row of rows) {
      row.hidden = !wanted.every((s) => row.dataset[s.name] === s.value);
      if (!row.hidden) shown += 1;
    }
    form.querySelector("[data-claims-count]").textContent = `Showing ${shown} of ${rows.length} claims.`;
  };
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply));
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sg-sort";
    button.textContent = th.textContent;
    th.replaceChildren(button);
    button.addEventListener("click", () => {
      const direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      for (const other of heads) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      const key = (row) => row.cells[column].dataset.sort ?? row.cells[column].textContent.trim();
      const numeric = rows.every((row) => key(row) !== "" && !Number.isNaN(Number(key(row))));
      rows.sort((a, b) => direction * (numeric ? key(a) - key(b) : key(a).localeCompare(key(b))));
      body.append(...rows);
    });
  });
  form.hidden = false;
  apply();
})();
