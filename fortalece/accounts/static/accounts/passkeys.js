/* Passkeys (accounts/passkeys.py): ask the browser for a passkey and send its answer.
   Buttons: [data-passkey="register"] or [data-passkey="verify"], with data-options-url and
   data-url; a [data-passkey-status] element next to them shows what happens. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) {
      el.hidden = false;
    });
    return;
  }
  // Browsers refuse passkeys for a bare IP address (http://127.0.0.1): say so instead of a
  // bare failure.
  if (/^[0-9.]+$|^\[/.test(location.hostname)) {
    document.querySelectorAll("[data-passkey-ip]").forEach(function (el) { el.hidden = false; });
    return;
  }
  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { run(button); });
  });

  function b64ToBuffer(value) {
    var text = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }
  function bufferToB64(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeOptions(publicKey) {
    publicKey.challenge = b64ToBuffer(publicKey.challenge);
    if (publicKey.user) publicKey.user.id = b64ToBuffer(publicKey.user.id);
    ["excludeCredentials", "allowCredentials"].forEach(function (key) {
      (publicKey[key] || []).forEach(function (c) { c.id = b64ToBuffer(c.id); });
    });
    return publicKey;
  }
  function encodeCredential(credential) {
    var r = credential.response, response = { clientDataJSON: bufferToB64(r.clientDataJSON) };
    if (r.attestationObject) response.attestationObject = bufferToB64(r.attestationObject);
    if (r.authenticatorData) response.authenticatorData = bufferToB64(r.authenticatorData);
    if (r.signature) response.signature = bufferToB64(r.signature);
    if (r.userHandle) response.userHandle = bufferToB64(r.userHandle);
    if (r.getTransports) response.transports = r.getTransports();
    return {
      id: credential.id, rawId: bufferToB64(credential.rawId), type: credential.type,
      response: response, clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || null
    };
  }
  function post(url, body) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) {
          if (data.redirect) window.location.assign(data.redirect);
          throw new Error(data.error || res.statusText);
        }
        return data;
      });
    });
  }
  function run(button) {
    var status = document.querySelector("[data-passkey-status]");
    var register = button.dataset.passkey === "register";
    var say = function (text) { if (status) status.textContent = text; };
    button.disabled = true;
    say(button.dataset.waiting || "");
    post(button.dataset.optionsUrl).then(function (options) {
      var publicKey = decodeOptions(options.publicKey);
      return register ? navigator.credentials.create({ publicKey: publicKey })
        : navigator.credentials.get({ publicKey: publicKey });
    }).then(function (credential) {
      var name = document.getElementById(button.dataset.nameInput || "");
      return post(button.dataset.url, {
        credential: encodeCredential(credential), name: name ? name.value : ""
      });
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (error) {
      button.disabled = false;
      // The browser's own reasons (cancelled, timed out) are in its language, not the page's.
      var own = error && !(error instanceof DOMException) ? " " + error.message : "";
      say((button.dataset.failed || "") + own);
    });
  }
})();
