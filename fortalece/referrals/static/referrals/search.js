// "Use this phone's location": asks the browser (which asks the person), then POSTs the
// position with the chosen type (never in the URL: the server answers with a token). Without
// JavaScript the place selects still work.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var post = document.getElementById("locate-form");
  if (!form || !post || !("geolocation" in navigator)) { return; }
  var box = form.querySelector("[data-locate]");
  var button = form.querySelector("[data-locate-button]");
  var status = form.querySelector("[data-locate-status]");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.dataset.msgAsking;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        post.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(5);
        post.querySelector("input[name=lon]").value = position.coords.longitude.toFixed(5);
        post.querySelector("input[name=kind]").value = form.querySelector("select[name=kind]").value;
        post.submit();
      },
      function (error) {
        button.disabled = false;
        status.textContent = error.code === 1 ? status.dataset.msgDenied : status.dataset.msgUnavailable;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
