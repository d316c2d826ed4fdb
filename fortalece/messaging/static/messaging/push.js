// "Turn on phone notifications": subscribe this browser to web push and send the
// subscription to the server. The page works without it; the button only shows when the
// browser can do it.
(function () {
  "use strict";
  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function setup(box) {
    var button = box.querySelector("[data-push-button]");
    var status = box.querySelector("[data-push-status]");
    var say = function (name) { status.textContent = status.getAttribute("data-" + name) || ""; };
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say("unsupported");
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { say("denied"); return null; }
        // "ready" waits for the app's service worker; without one it would wait forever.
        var timeout = new Promise(function (resolve, reject) {
          window.setTimeout(function () { reject(new Error("no service worker")); }, 10000);
        });
        return Promise.race([navigator.serviceWorker.ready, timeout]).then(function (registration) {
          return registration.pushManager.getSubscription().then(function (existing) {
            return existing || registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(box.getAttribute("data-key"))
            });
          });
        }).then(function (subscription) {
          var data = subscription.toJSON();
          return fetch(box.getAttribute("data-url"), {
            method: "POST",
            credentials: "same-origin",
            headers: {
              "Content-Type": "application/json",
              "X-CSRFToken": box.querySelector("[name=csrfmiddlewaretoken]").value
            },
            body: JSON.stringify({ endpoint: data.endpoint, keys: data.keys })
          });
        }).then(function (response) {
          if (response && response.ok) { say("ok"); button.hidden = true; } else { say("failed"); }
        });
      }).catch(function () { say("failed"); }).then(function () { button.disabled = false; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-push]"), setup);
  });
})();
