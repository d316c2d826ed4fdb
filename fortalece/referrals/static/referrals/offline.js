// Keeps this state's referral pages on the phone for use without a connection
// (templates/referrals/sw.js). Links marked data-offline are fetched once in the background.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  var status = document.querySelector("[data-offline-status]");
  navigator.serviceWorker.register("/referrals/sw.js", { scope: "/referrals/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var urls = [window.location.href];
    document.querySelectorAll("a[data-offline]").forEach(function (a) { urls.push(a.href); });
    document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
      urls.push(el.href || el.src);
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kept" && status) {
        status.hidden = false;
        document.documentElement.dataset.offlineReady = "true";
      }
    });
    registration.active.postMessage({ type: "keep", urls: urls });
  }).catch(function () { /* offline copies are a convenience: the page works without them */ });
})();
