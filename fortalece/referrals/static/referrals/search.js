// "Use this phone's location": asks the browser (which asks the person), fills the hidden
// lat/lon fields and sends the search. Without JavaScript the place selects still work.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !("geolocation" in navigator)) { return; }
  var box = form.querySelector("[data-locate]");
  var button = form.querySelector("[data-locate-button]");
  var status = form.querySelector("[data-locate-status]");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.dataset.msgAsking;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lon.value = position.coords.longitude.toFixed(5);
        form.submit();
      },
      function (error) {
        button.disabled = false;
        status.textContent = error.code === 1 ? status.dataset.msgDenied : status.dataset.msgUnavailable;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
    );
  });
  // Choosing a place by hand replaces a location found earlier.
  form.querySelectorAll("select[name=subdivision], select[name=municipality]").forEach(function (select) {
    select.addEventListener("change", function () { lat.value = ""; lon.value = ""; });
  });
})();
