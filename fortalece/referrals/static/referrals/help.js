// Quick exit: leave for a neutral site and replace this page's history entry, so that
// "back" does not return here. Esc does the same. Without JavaScript the link still leaves.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.innerHTML = "";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
})();
