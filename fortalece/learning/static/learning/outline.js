// Drag and drop of a module's items: an enhancement over the ↑ ↓ buttons (which stay).
// On drop, the new order is posted; the server answers with the outline (htmx swap).
(() => {
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const li = event.target.closest("[data-reorder-url] > li[data-item]");
    if (!li) return;
    dragged = li;
    li.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", (event) => {
    const li = event.target.closest("[data-reorder-url] > li[data-item]");
    if (!dragged || !li || li.parentElement !== dragged.parentElement || li === dragged) return;
    event.preventDefault();
    const box = li.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    li.parentElement.insertBefore(dragged, after ? li.nextSibling : li);
  });
  document.addEventListener("dragend", () => {
    if (!dragged) return;
    const list = dragged.parentElement;
    dragged.classList.remove("is-dragging");
    dragged = null;
    const values = { item: [...list.querySelectorAll(":scope > li[data-item]")].map((li) => li.dataset.item) };
    if (window.htmx) {
      window.htmx.ajax("POST", list.dataset.reorderUrl, { target: "#outline", swap: "outerHTML", values });
    }
  });
})();
