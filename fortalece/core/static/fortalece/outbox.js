// The outbox: answers written without a connection are kept on this phone and sent when it
// returns. Forms marked data-outbox (a quiz's answers, an assignment's text) are kept in
// IndexedDB with their idempotency key before anything is sent; an item leaves the outbox
// only when the server answered 2xx (recorded) or 409 (a conflict, whose message is shown).
// The server's key makes a retry, a double tap or a second tab count once.
// Without JavaScript (or IndexedDB) the forms post as usual.
(() => {
  "use strict";
  if (!window.indexedDB || !window.fetch || !window.FormData) {
    return;
  }
  const banner = document.querySelector("[data-outbox-banner]");
  // Whose answers these are: each person's outbox is theirs alone on a shared phone. Pages
  // without a signed-in person (the offline page) show and send none.
  const owner = (document.querySelector('meta[name="fortalece-user"]') || {}).content || "";
  const live = document.querySelector("[data-outbox-live]");
  const text = (name, values) => {
    let s = (banner && banner.dataset["s" + name[0].toUpperCase() + name.slice(1)]) || "";
    Object.entries(values || {}).forEach(([k, v]) => { s = s.split("{" + k + "}").join(String(v)); });
    return s;
  };

  // --- storage ------------------------------------------------------------------------
  let opened = null;
  function db() {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const request = indexedDB.open("fortalece-outbox", 1);
        request.onupgradeneeded = () => {
          const base = request.result;
          base.createObjectStore("items", { keyPath: "key" });
          base.createObjectStore("sent", { keyPath: "key" });
          base.createObjectStore("notices", { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opened;
  }
  async function run(store, mode, work) {
    const base = await db();
    return new Promise((resolve, reject) => {
      const transaction = base.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }
  const everything = (store) => run(store, "readonly", (s) => s.getAll());
  const all = async (store) => (await everything(store)).filter((row) => !row.owner || row.owner === owner);
  const get = (store, key) => run(store, "readonly", (s) => s.get(key));
  const put = (store, value) => run(store, "readwrite", (s) => s.put(value));
  const remove = (store, key) => run(store, "readwrite", (s) => s.delete(key));

  // --- reading forms and answers ------------------------------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function fieldsOf(form, submitter) {
    const data = submitter ? new FormData(form, submitter) : new FormData(form);
    const fields = [];
    data.forEach((value, name) => {
      if (value instanceof File && !value.name && !value.size) {
        return;  // an empty file input
      }
      fields.push([name, value]);
    });
    return fields;
  }
  const comparable = (fields) => JSON.stringify(fields
    .filter(([name]) => name !== "csrfmiddlewaretoken" && name !== "key")
    .map(([name, value]) => [name, value instanceof File ? `${value.name}:${value.size}` : value]));
  function currentToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }
  function conflictText(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const message = page.querySelector("[data-conflict-message]");
    const answers = Array.from(page.querySelectorAll(".conflict-answers > li"), (li) => {
      const question = li.querySelector(".q-text");
      const chosen = Array.from(li.querySelectorAll("ul li"), (x) => x.textContent.trim());
      return `${question ? question.textContent.trim() : ""} ${chosen.join(", ")}`.trim();
    });
    const sent = page.querySelector("#refused-text");
    if (sent && sent.value) {
      answers.push(sent.value);
    }
    const errors = message ? message.querySelectorAll("p") : [];
    return {
      message: errors.length ? Array.from(errors, (p) => p.textContent.trim()).join(" ") : "",
      lines: answers,
    };
  }

  // --- sending ------------------------------------------------------------------------
  const loginPath = banner ? new URL(banner.dataset.loginUrl, location.href).pathname : "/accounts/login/";

  async function send(item) {
    const body = new FormData();
    const token = currentToken();
    item.fields.forEach(([name, value]) => {
      body.append(name, name === "csrfmiddlewaretoken" && token ? token : value);
    });
    let response;
    try {
      response = await fetch(item.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "follow",
        headers: { "X-Fortalece-Outbox": "1" },
      });
    } catch (error) {
      return { outcome: "waiting", message: text("waiting") };
    }
    const landed = new URL(response.url || item.action, location.href);
    if (response.redirected && landed.pathname.startsWith(loginPath)) {
      return { outcome: "waiting", message: text("signin"), signin: true };
    }
    if (response.ok) {
      // Our server answers the outbox's redirects with 204 and the address (middleware).
      const next = response.headers.get("X-Outbox-Location");
      return { outcome: "sent", url: next ? new URL(next, location.href).href : landed.href };
    }
    if (response.status === 409) {
      return { outcome: "conflict", ...conflictText(await response.text()) };
    }
    if (response.status === 403 || response.status >= 500) {
      return { outcome: "waiting", message: text("failed") };
    }
    return { outcome: "refused", message: text("refused") };
  }

  async function settle(item, result) {
    if (result.outcome === "sent") {
      await remove("items", item.key);
      await put("sent", { owner, key: item.key, fields: comparable(item.fields), at: Date.now() });
      say(text("sent", { title: item.title }));
    } else if (result.outcome === "conflict") {
      await remove("items", item.key);
      await put("sent", { owner, key: item.key, fields: comparable(item.fields), at: Date.now() });
      await put("notices", {
        owner,
        title: text("conflict", { title: item.title }),
        message: result.message,
        lines: result.lines || [],
        page: item.page,
      });
      say(text("conflict", { title: item.title }));
    } else {
      item.state = result.outcome;
      item.message = result.message;
      await put("items", item);
    }
  }

  let flushing = false;
  let again = 0;
  let rounds = 0;
  async function flush() {
    if (flushing || !navigator.onLine || !owner) {
      return;
    }
    flushing = true;
    const retry = banner && banner.querySelector("[data-outbox-retry]");
    if (retry) {
      retry.disabled = true;
    }
    const work = async () => {
      const items = (await all("items")).filter((i) => i.state !== "refused");
      for (const item of items) {
        if (await get("items", item.key)) {  // another tab may have sent it meanwhile
          await settle(item, await send(item));
        }
      }
    };
    try {
      if (navigator.locks) {
        await navigator.locks.request("fortalece-outbox", work);  // one tab sends at a time
      } else {
        await work();
      }
    } finally {
      flushing = false;
      if (retry) {
        retry.disabled = false;
      }
      await render();
      // Still waiting (the server did not answer): try again in a while, not in a loop
      // (5 s, then every 30 s).
      const left = (await all("items")).filter((i) => i.state !== "refused");
      window.clearTimeout(again);
      if (left.length && navigator.onLine) {
        again = window.setTimeout(flush, rounds === 0 ? 5000 : 30000);
        rounds += 1;
      } else {
        rounds = 0;
      }
    }
  }

  // --- showing ------------------------------------------------------------------------
  function say(message) {
    if (live) {
      live.textContent = "";
      window.setTimeout(() => { live.textContent = message; }, 50);
    }
  }
  function fill(template, values) {
    const node = template.content.firstElementChild.cloneNode(true);
    Object.entries(values).forEach(([name, apply]) => {
      const target = node.querySelector(`[data-field="${name}"]`);
      if (target) {
        apply(target);
      }
    });
    return node;
  }
  async function render() {
    if (!banner) {
      return;
    }
    const items = await all("items");
    const notices = await all("notices");
    const list = banner.querySelector("[data-outbox-list]");
    const count = banner.querySelector("[data-outbox-count]");
    const holder = banner.querySelector("[data-outbox-notices]");
    list.replaceChildren(...items.map((item) => fill(banner.querySelector("template[data-outbox-item]"), {
      title: (a) => { a.textContent = item.title; a.href = item.page; },
      state: (s) => { s.textContent = item.message || text("waiting"); },
      discard: (b) => {
        b.hidden = item.state !== "refused";
        b.addEventListener("click", async () => {
          if (window.confirm(text("discardConfirm"))) {
            await remove("items", item.key);
            await render();
          }
        });
      },
    })));
    holder.replaceChildren(...notices.map((notice) => fill(banner.querySelector("template[data-outbox-notice]"), {
      title: (t) => { t.textContent = notice.title; },
      message: (m) => { m.textContent = notice.message; },
      details: (d) => { d.hidden = !notice.lines.length; },
      lines: (ul) => {
        ul.replaceChildren(...notice.lines.map((line) => {
          const li = document.createElement("li");
          li.textContent = line;
          return li;
        }));
      },
      link: (a) => { a.href = notice.page; },
      dismiss: (b) => {
        b.addEventListener("click", async () => { await remove("notices", notice.id); await render(); });
      },
    })));
    count.textContent = items.length === 1 ? text("one") : text("many", { n: items.length });
    count.hidden = items.length === 0;
    banner.querySelector("[data-outbox-retry]").closest("p").hidden = !navigator.onLine
      || !items.some((i) => i.state !== "refused");
    banner.hidden = items.length === 0 && notices.length === 0;
    document.querySelectorAll("form[data-outbox]").forEach((form) => {
      const key = form.elements.key && form.elements.key.value;
      const waiting = items.find((i) => i.key === key);
      const status = form.querySelector("[data-outbox-status]");
      if (status) {
        status.hidden = !waiting;
        status.textContent = waiting ? (waiting.message || text("waiting")) : "";
      }
    });
  }

  // --- the forms ----------------------------------------------------------------------
  function statusOf(form) {
    let status = form.querySelector("[data-outbox-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "outbox-status";
      status.setAttribute("data-outbox-status", "");
      form.prepend(status);
    }
    status.setAttribute("role", "status");
    return status;
  }

  async function keep(form, submitter) {
    const keyInput = form.elements.key;
    const fields = fieldsOf(form, submitter);
    const same = comparable(fields);
    const earlier = (await get("items", keyInput.value)) || (await get("sent", keyInput.value));
    const fresh = form.hasAttribute("data-outbox-fresh-key");
    const earlierSame = earlier && (typeof earlier.fields === "string"
      ? earlier.fields === same : comparable(earlier.fields) === same);
    if (earlier && fresh && earlierSame) {
      return null;  // the same work again (a double tap): already kept or sent
    }
    if (earlier && fresh) {
      keyInput.value = uuid();  // new work on a page kept from before: its own key
    }
    const item = {
      owner,
      key: keyInput.value,
      kind: form.dataset.outbox,
      title: form.dataset.outboxTitle || document.title,
      action: new URL(form.getAttribute("action") || location.href, location.href).href,
      page: location.pathname,
      fields: fieldsOf(form, submitter),
      created: Date.now(),
      state: "waiting",
      message: "",
    };
    await put("items", item);
    return item;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-outbox]")) {
      return;
    }
    if (!form.elements.key || event.defaultPrevented) {
      return;  // no key: the form posts as usual
    }
    event.preventDefault();
    const status = statusOf(form);
    let item;
    try {
      item = await keep(form, event.submitter);
    } catch (error) {
      HTMLFormElement.prototype.submit.call(form);  // storage refused: post as usual
      return;
    }
    if (!item) {
      await render();
      return;
    }
    status.hidden = false;
    if (!navigator.onLine) {
      status.textContent = text("waiting");
      say(text("waiting"));
      await render();
      return;
    }
    status.textContent = text("sending");
    const result = await send(item);
    if (result.outcome === "sent") {
      await settle(item, result);
      window.location.assign(result.url);
    } else if (result.outcome === "waiting") {
      await settle(item, result);
      status.textContent = result.message;
      say(result.message);
      await render();
    } else {
      // A conflict or a refusal: the server's own page says why, with the answers in sight.
      // Sending again is safe (the same key), so the form posts as usual to show it.
      await remove("items", item.key);
      HTMLFormElement.prototype.submit.call(form);
    }
  });

  // Any other form sent without a connection would end on the browser's error page: say it
  // on the page instead (nothing was sent; the learner tries again with signal).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (navigator.onLine || event.defaultPrevented || !(form instanceof HTMLFormElement)
        || form.matches("form[data-outbox]") || form.method !== "post" || !text("needsConnection")) {
      return;
    }
    event.preventDefault();
    form.dataset.submitted = "false";
    statusOf(form).textContent = text("needsConnection");
    say(text("needsConnection"));
  });

  // An answer saved as it is chosen (htmx) cannot reach the server offline: say so, quietly.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.target;
    if (!navigator.onLine && source.closest && source.closest("form[data-outbox]")) {
      event.preventDefault();
      const fieldset = source.closest(".quiz-q");
      const target = fieldset && fieldset.querySelector(".save-status");
      if (target) {
        target.textContent = text("unsaved");
      }
    }
  });

  // The promise "your answers wait on this phone" is made only where it is kept.
  document.querySelectorAll("[data-outbox-note]").forEach((note) => { note.hidden = false; });
  banner && banner.querySelector("[data-outbox-retry]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => { say(text("offline")); render(); });
  // Old "sent" records only serve to spot a double tap: a week is plenty.
  everything("sent").then((rows) => rows
    .filter((row) => Date.now() - row.at > 7 * 24 * 3600 * 1000)
    .forEach((row) => remove("sent", row.key)));
  render().then(flush);
  window.fortaleceOutbox = { flush, render, get busy() { return flushing; } };
})();
