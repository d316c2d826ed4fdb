// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-menu-toggle]");
  if (toggle) {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("is-open", !open);
  }
  // The header's menus (<details>, usable without this): a click elsewhere closes them.
  document.querySelectorAll("details[data-navmenu][open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
  const confirmable = event.target.closest("[data-confirm]");
  if (confirmable && !window.confirm(confirmable.dataset.confirm)) {
    event.preventDefault();
  }
});
// Escape closes the header menu the focus is in and puts the focus back on its toggle.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = event.target.closest && event.target.closest("details[data-navmenu][open]");
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
// Forms are submitted once: a double tap on a slow connection does not post twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitted === "true" && !form.hasAttribute("data-allow-resubmit")) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  window.setTimeout(() => { form.dataset.submitted = "false"; }, 4000);
});
