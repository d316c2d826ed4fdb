// The card's "Print" button (shown only when JavaScript can print; Ctrl+P works anyway).
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
