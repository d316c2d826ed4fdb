// The installable app: registers the service worker, offers "save for offline" on lessons,
// lists what is saved on this phone, and forgets it all on signing out. Progressive only:
// without JavaScript or service workers every page still works online.
(() => {
  "use strict";
  const SAVED = "fortalece-saved";
  const supported = "serviceWorker" in navigator && window.isSecureContext;
  const worker = document.querySelector('meta[name="fortalece-sw"]');

  const savedList = () => {
    try {
      return JSON.parse(localStorage.getItem(SAVED) || "[]");
    } catch (error) {
      return [];
    }
  };
  const keepList = (list) => {
    try {
      localStorage.setItem(SAVED, JSON.stringify(list));
    } catch (error) {
      // Storage full or off: the pages are still in the worker's cache.
    }
  };

  if (supported && worker) {
    navigator.serviceWorker.register(worker.content, { scope: "/" }).catch(() => {});
  }
  // Another person signed in on this phone: the previous one's pages are not theirs to read.
  const who = document.querySelector('meta[name="fortalece-user"]');
  if (who) {
    let before = null;
    try {
      before = localStorage.getItem("fortalece-user");
      localStorage.setItem("fortalece-user", who.content);
    } catch (error) {
      before = who.content;
    }
    if (before && before !== who.content) {
      keepList([]);
      ask({ type: "clear" });
    }
  }

  function ask(message) {
    if (!supported) {
      return Promise.resolve({ ok: false });
    }
    return navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = window.setTimeout(() => resolve({ ok: false }), 20000);
      channel.port1.onmessage = (event) => {
        window.clearTimeout(timer);
        resolve(event.data || { ok: false });
      };
      registration.active.postMessage(message, [channel.port2]);
    }));
  }

  // "Save for offline" on a lesson: the page, its images and its files.
  document.querySelectorAll("[data-save-offline]").forEach((box) => {
    if (!supported) {
      return;
    }
    const button = box.querySelector("button");
    const status = box.querySelector("[data-save-offline-status]");
    const page = location.pathname;
    const urls = () => {
      const list = (box.dataset.urls || page).split(/\s+/).filter(Boolean);
      document.querySelectorAll(".lesson__body img[src]").forEach((img) => {
        const src = new URL(img.getAttribute("src"), location.href);
        if (src.origin === location.origin) {
          list.push(src.pathname + src.search);
        }
      });
      return list;
    };
    const show = () => {
      const saved = savedList().some((entry) => entry.url === page);
      button.setAttribute("aria-pressed", String(saved));
      button.textContent = saved ? box.dataset.savedLabel : box.dataset.saveLabel;
    };
    box.hidden = false;
    show();
    button.addEventListener("click", async () => {
      const saved = savedList().some((entry) => entry.url === page);
      button.disabled = true;
      if (saved) {
        await ask({ type: "forget", urls: urls().map((u) => new URL(u, location.href).href) });
        keepList(savedList().filter((entry) => entry.url !== page));
        status.textContent = box.dataset.forgotten;
      } else {
        status.textContent = box.dataset.saving;
        const answer = await ask({ type: "save", urls: urls() });
        if (answer.ok) {
          keepList([...savedList().filter((e) => e.url !== page), { url: page, title: box.dataset.title, at: Date.now() }]);
          status.textContent = box.dataset.done;
        } else {
          status.textContent = box.dataset.failed;
        }
      }
      button.disabled = false;
      show();
    });
  });

  // What is saved on this phone (My learning, the offline page).
  document.querySelectorAll("[data-offline-saved]").forEach((section) => {
    const list = savedList();
    if (!supported || !list.length) {
      return;
    }
    const ul = section.querySelector("[data-offline-saved-list]");
    ul.replaceChildren(...list.map((entry) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = entry.url;
      a.textContent = entry.title || entry.url;
      li.append(a);
      return li;
    }));
    section.hidden = false;
  });

  // Signing out: nothing personal stays on a shared phone (answers still waiting stay in
  // the outbox, which sends them only for whoever signs in and owns them).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-signout]")) {
      return;
    }
    keepList([]);
    // Not waited for: signing out is never held up (the worker keeps itself alive to finish,
    // and the next person's mark clears anything left).
    if (supported && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
  });
})();
