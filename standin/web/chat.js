// Browser chat for the local Bot API stand-in. It only talks to the stand-in's /_chat/ API
// (served same-origin by standin/webchat.py). Every node is built with the DOM API from
// plain text and Telegram's entities: no HTML string from the bot is ever parsed.
"use strict";

(() => {
  const POLL_WAIT = 25; // seconds a long poll may wait on the server
  const STORE_USER = "concerta.webchat.user";
  const STORE_EXTRA = "concerta.webchat.extraUsers";
  const ADD_USER = "__add__";
  const SIMPLE_TAGS = {
    bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code",
    blockquote: "blockquote", expandable_blockquote: "blockquote",
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    messages: $("messages"), input: $("input"), composer: $("composer"), status: $("status"),
    botName: $("bot-name"), select: $("user-select"), keyboard: $("reply-keyboard"),
    menu: $("command-menu"), menuButton: $("menu-button"), toast: $("toast"),
    dialog: $("add-user"), dialogForm: $("add-user-form"),
  };

  const state = {
    users: [],          // {id, name, role}
    current: null,      // one of users
    chats: new Map(),   // chat id -> {items: Map(message_id -> item), loaded, unread}
    last: 0,            // last control-API event seen
    commands: [],
  };

  // ---- helpers -------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function api(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.description || `HTTP ${response.status}`);
    return data;
  }

  let dateFormat;
  try {
    dateFormat = new Intl.DateTimeFormat("es-PE", {
      timeZone: "America/Lima", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
  } catch (_) {
    dateFormat = new Intl.DateTimeFormat("es-PE", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    });
  }

  // dd/mm/aaaa hh:mm in Lima time, as everywhere else in Concerta.
  function when(seconds) {
    const parts = {};
    for (const p of dateFormat.formatToParts(new Date(seconds * 1000))) parts[p.type] = p.value;
    return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
  }

  function fileSize(bytes) {
    if (bytes === null || bytes === undefined) return "";
    if (bytes < 1024) return `${bytes} B`;
    const units = ["KB", "MB", "GB"];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return `${value.toLocaleString("es-PE", { maximumFractionDigits: 1 })} ${units[unit]}`;
  }

  function safeHref(url) {
    return /^(https?:|tg:|mailto:)/i.test(url || "") ? url : null;
  }

  function fileUrl(chatId, messageId) {
    return `/_chat/file/${encodeURIComponent(chatId)}/${encodeURIComponent(messageId)}`;
  }

  // ---- formatted text from entities --------------------------------------------------------

  // Telegram entities count UTF-16 code units, which is exactly how JavaScript indexes strings.
  function renderText(parent, text, entities) {
    const valid = (entities || [])
      .filter((e) => e.length > 0 && e.offset >= 0 && e.offset + e.length <= text.length)
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    build(parent, text, valid, 0, text.length);
  }

  function build(parent, text, entities, start, end) {
    let pos = start;
    let i = 0;
    while (i < entities.length) {
      const entity = entities[i];
      if (entity.offset < pos) { i += 1; continue; } // overlaps a sibling: keep the text only
      const stop = Math.min(entity.offset + entity.length, end);
      let j = i + 1;
      const inner = [];
      while (j < entities.length && entities[j].offset < stop) { inner.push(entities[j]); j += 1; }
      if (entity.offset > pos) parent.append(text.slice(pos, entity.offset));
      const node = entityNode(entity, text.slice(entity.offset, stop));
      build(node.firstElementChild && node.tagName === "PRE" ? node.firstElementChild : node,
        text, inner, entity.offset, stop);
      parent.append(node);
      pos = stop;
      i = j;
    }
    if (pos < end) parent.append(text.slice(pos, end));
  }

  function entityNode(entity, covered) {
    const tag = SIMPLE_TAGS[entity.type];
    if (tag) return el(tag, entity.type === "expandable_blockquote" ? "expandable" : "");
    switch (entity.type) {
      case "pre": {
        const pre = el("pre");
        pre.append(el("code"));
        return pre;
      }
      case "spoiler": {
        const span = el("span", "spoiler");
        span.tabIndex = 0;
        span.setAttribute("role", "button");
        span.setAttribute("aria-label", "Texto oculto: toque para verlo");
        const reveal = () => {
          span.classList.add("revealed");
          span.removeAttribute("role");
          span.removeAttribute("aria-label");
          span.removeAttribute("tabindex");
        };
        span.addEventListener("click", reveal);
        span.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); reveal(); }
        });
        return span;
      }
      case "text_link":
      case "url":
      case "email":
      case "phone_number": {
        let href = entity.type === "text_link" ? safeHref(entity.url) : null;
        if (entity.type === "url") href = safeHref(/^[a-z]+:/i.test(covered) ? covered : `https://${covered}`);
        if (entity.type === "email") href = `mailto:${covered}`;
        if (entity.type === "phone_number") href = `tel:${covered.replace(/[^\d+]/g, "")}`;
        if (!href) return el("span");
        const a = el("a");
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        return a;
      }
      case "bot_command": {
        const a = el("a", "command");
        a.href = "#";
        a.setAttribute("role", "button");
        a.addEventListener("click", (ev) => { ev.preventDefault(); sendText(covered.split("@")[0]); });
        return a;
      }
      case "mention":
      case "hashtag":
      case "cashtag":
        return el("span", "mention");
      default:
        return el("span");
    }
  }

  // ---- the store ---------------------------------------------------------------------------

  function chatOf(id) {
    let chat = state.chats.get(id);
    if (!chat) {
      chat = { items: new Map(), loaded: false, unread: 0, pending: [] };
      state.chats.set(id, chat);
    }
    return chat;
  }

  async function loadChat(id) {
    const data = await api("GET", `/_chat/transcript?chat_id=${encodeURIComponent(id)}`);
    const chat = chatOf(id);
    chat.items.clear();
    for (const m of data.messages) {
      chat.items.set(m.message_id, { side: "bot", id: m.message_id, data: m });
    }
    for (const m of data.user_messages || []) {
      chat.items.set(m.message_id, { side: "user", id: m.message_id, data: m });
    }
    chat.loaded = true;
    // Events that arrived while the transcript was on its way; replaying them is harmless.
    const pending = chat.pending.filter((e) => e.seq > data.last);
    chat.pending = [];
    for (const event of pending) applyEvent(event);
    return chat;
  }

  function applyEvent(event) {
    const chatId = event.chat_id;
    const isCurrent = state.current && chatId === state.current.id;
    if (event.type === "callback_answer") {
      if (isCurrent) {
        clearBusy();
        const answer = event.answer || {};
        if (answer.text) showToast(answer.text, Boolean(answer.show_alert));
        if (answer.url && safeHref(answer.url)) window.open(answer.url, "_blank", "noopener");
      }
      return;
    }
    const message = event.message;
    if (!message || !state.users.some((u) => u.id === chatId)) return;
    const chat = chatOf(chatId);
    if (!chat.loaded) {
      if (chat.pending.length < 500) chat.pending.push(event);
      if (event.type === "new" && !isCurrent) { chat.unread += 1; renderUserSelect(); }
      return;
    }
    const item = { side: "bot", id: message.message_id, data: message };
    chat.items.set(item.id, item);
    if (isCurrent) upsertNode(item, event.type === "new");
    else if (event.type === "new") { chat.unread += 1; renderUserSelect(); }
    if (isCurrent) { clearBusy(); updateReplyKeyboard(); }
  }

  async function poll() {
    let backoff = 0;
    for (;;) {
      try {
        const data = await api("GET", `/_chat/messages?after=${state.last}&wait=${POLL_WAIT}`);
        if (data.last < state.last) {
          // The stand-in restarted: its history is new, start over.
          state.last = 0;
          for (const chat of state.chats.values()) chat.loaded = false;
          if (state.current) await showChat(state.current.id);
          continue;
        }
        for (const event of data.events) applyEvent(event);
        state.last = Math.max(state.last, data.last);
        setOnline(true);
        backoff = 0;
      } catch (_) {
        setOnline(false);
        backoff = Math.min(backoff ? backoff * 2 : 500, 5000);
        await sleep(backoff);
      }
    }
  }

  function setOnline(online) {
    ui.status.textContent = online ? "bot" : "sin conexión…";
    ui.status.classList.toggle("offline", !online);
  }

  // ---- rendering -----------------------------------------------------------------------------

  function nearBottom() {
    const m = ui.messages;
    return m.scrollHeight - m.scrollTop - m.clientHeight < 80;
  }

  function scrollToBottom() {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function renderChat() {
    const chat = chatOf(state.current.id);
    ui.messages.replaceChildren();
    const items = [...chat.items.values()].sort((a, b) => a.id - b.id);
    if (!items.length) ui.messages.append(emptyState());
    for (const item of items) ui.messages.append(itemNode(item));
    updateReplyKeyboard();
    scrollToBottom();
  }

  function emptyState() {
    const box = el("div", "empty");
    box.append(el("p", "", "Aún no hay mensajes con el bot."));
    const start = el("button", "start-button", "Empezar");
    start.type = "button";
    start.addEventListener("click", () => sendText("/start"));
    box.append(start);
    return box;
  }

  function upsertNode(item, isNew) {
    const stick = nearBottom() || (isNew && item.side === "user");
    const node = itemNode(item);
    const old = ui.messages.querySelector(`[data-mid="${item.id}"]`);
    ui.messages.querySelector(".empty")?.remove();
    if (old) {
      old.replaceWith(node);
    } else {
      const after = [...ui.messages.children].find((c) => Number(c.dataset.mid) > item.id);
      ui.messages.insertBefore(node, after || null);
    }
    if (stick) scrollToBottom();
  }

  function itemNode(item) {
    return item.side === "bot" ? botNode(item.data) : userNode(item.data);
  }

  function userNode(m) {
    const row = el("div", "row user");
    row.dataset.mid = m.message_id;
    const bubble = el("div", "bubble");
    if (m.contact) {
      const card = el("div", "contact-card");
      card.append(el("span", "contact-icon", "👤"));
      const meta = el("span", "file-meta");
      meta.append(el("span", "file-name", m.contact.first_name || "Contacto"));
      meta.append(el("span", "file-size", m.contact.phone_number || ""));
      card.append(meta);
      bubble.append(card);
    } else {
      bubble.append(el("div", "text", m.text || ""));
    }
    bubble.append(metaNode(m.date, false, true));
    row.append(bubble);
    return row;
  }

  function botNode(m) {
    const row = el("div", "row bot");
    row.dataset.mid = m.message_id;
    const bubble = el("div", "bubble");
    const url = fileUrl(m.chat_id, m.message_id);
    if (m.kind === "photo") {
      bubble.classList.add("has-photo");
      const link = el("a", "photo-link");
      link.href = url;
      link.download = m.file_name || `foto_${m.message_id}.png`;
      link.title = "Descargar la imagen";
      const img = el("img", "photo");
      img.src = url;
      img.alt = m.plain_text ? `Imagen: ${m.plain_text.slice(0, 120)}` : "Imagen enviada por el bot";
      img.loading = "lazy";
      img.addEventListener("load", () => {
        const m = ui.messages;
        if (m.scrollHeight - m.scrollTop - m.clientHeight < img.height + 120) scrollToBottom();
      });
      link.append(img);
      bubble.append(link);
    } else if (m.kind !== "text") {
      bubble.append(fileCard(m, url));
    }
    if (m.plain_text) {
      const text = el("div", "text");
      renderText(text, m.plain_text, m.entities);
      bubble.append(text);
    }
    bubble.append(metaNode(m.date, m.edited > 0, false));
    row.append(bubble);
    if (m.buttons && m.buttons.length) row.append(inlineKeyboard(m));
    return row;
  }

  function fileCard(m, url) {
    const hasFile = m.file_size !== null && m.file_size !== undefined;
    const card = el(hasFile ? "a" : "div", "file-card");
    if (hasFile) {
      card.href = url;
      card.download = m.file_name || "";
      card.setAttribute("aria-label", `Descargar ${m.file_name || "archivo"} (${fileSize(m.file_size)})`);
    }
    const ext = m.kind === "document" && m.file_name && m.file_name.includes(".")
      ? m.file_name.split(".").pop().slice(0, 4).toUpperCase() : "";
    card.append(el("span", `file-icon kind-${m.kind}`, ext || "⬇"));
    const meta = el("span", "file-meta");
    meta.append(el("span", "file-name", m.file_name || "Archivo"));
    const details = [fileSize(m.file_size), hasFile ? "Descargar" : ""].filter(Boolean).join(" · ");
    meta.append(el("span", "file-size", details));
    card.append(meta);
    return card;
  }

  function metaNode(date, edited, own) {
    const meta = el("span", "meta");
    if (edited) meta.append(el("span", "edited", "editado "));
    const time = el("time", "", date ? when(date) : "");
    if (date) time.dateTime = new Date(date * 1000).toISOString();
    meta.append(time);
    if (own) {
      const check = el("span", "check", " ✓✓");
      check.setAttribute("aria-label", "enviado");
      meta.append(check);
    }
    return meta;
  }

  function inlineKeyboard(m) {
    const box = el("div", "inline-keyboard");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Botones del mensaje");
    for (const row of m.buttons) {
      const line = el("div", "kb-row");
      for (const button of row) {
        const href = safeHref(button.url);
        if (href) {
          const a = el("a", "kb-button link", button.text);
          a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          line.append(a);
          continue;
        }
        const b = el("button", "kb-button", button.text);
        b.type = "button";
        if (button.callback_data === null || button.callback_data === undefined) {
          b.disabled = true;
        } else {
          b.addEventListener("click", () => press(m, button, b));
        }
        line.append(b);
      }
      box.append(line);
    }
    return box;
  }

  // ---- reply keyboard and command menu ---------------------------------------------------

  // The latest bot keyboard stays up until the user answers (one-time, as the bot asks for).
  function updateReplyKeyboard() {
    const chat = chatOf(state.current.id);
    const items = [...chat.items.values()].sort((a, b) => a.id - b.id);
    let keyboardItem = null;
    for (const item of items) {
      if (item.side === "bot" && item.data.keyboard && item.data.keyboard.length) keyboardItem = item;
      else if (item.side === "user") keyboardItem = null;
    }
    ui.keyboard.replaceChildren();
    ui.keyboard.hidden = !keyboardItem;
    if (!keyboardItem) return;
    const contactKeys = new Set(keyboardItem.data.contact_keys || []);
    for (const row of keyboardItem.data.keyboard) {
      const line = el("div", "kb-row");
      for (const label of row) {
        const b = el("button", "reply-key", label);
        b.type = "button";
        b.addEventListener("click", () => (contactKeys.has(label) ? shareContact() : sendText(label)));
        line.append(b);
      }
      ui.keyboard.append(line);
    }
  }

  function renderMenu(filter) {
    const wanted = (filter || "").replace(/^\//, "").toLowerCase();
    const commands = state.commands.filter((c) => c.command.startsWith(wanted));
    ui.menu.replaceChildren();
    for (const c of commands) {
      const item = el("button", "menu-item");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      item.append(el("span", "menu-command", `/${c.command}`));
      item.append(el("span", "menu-description", c.description));
      item.addEventListener("click", () => {
        closeMenu();
        ui.input.value = "";
        sendText(`/${c.command}`);
      });
      ui.menu.append(item);
    }
    return commands.length;
  }

  async function refreshCommands() {
    try {
      const who = state.current ? `?user_id=${state.current.id}` : "";
      const info = await api("GET", `/_chat/info${who}`);
      state.commands = info.commands || [];
    } catch (_) { /* keep the last list */ }
  }

  async function toggleMenu() {
    if (!ui.menu.hidden) { closeMenu(); return; }
    await refreshCommands();
    if (!renderMenu("")) ui.menu.append(el("p", "menu-empty", "El bot no publicó comandos."));
    ui.menu.hidden = false;
    ui.menuButton.setAttribute("aria-expanded", "true");
    ui.menu.querySelector("button")?.focus();
  }

  function closeMenu() {
    ui.menu.hidden = true;
    ui.menuButton.setAttribute("aria-expanded", "false");
  }

  // ---- actions -----------------------------------------------------------------------------

  function addUserItem(data) {
    const chat = chatOf(state.current.id);
    const item = { side: "user", id: data.message_id, data };
    chat.items.set(item.id, item);
    upsertNode(item, true);
    updateReplyKeyboard();
  }

  async function sendText(text) {
    text = text.trim();
    if (!text || !state.current) return;
    const user = state.current;
    try {
      const res = await api("POST", "/_chat/send", { user_id: user.id, text, first_name: user.name });
      if (state.current === user) addUserItem({ message_id: res.message_id, date: Date.now() / 1000, text });
    } catch (error) {
      showToast(`No se pudo enviar: ${error.message}`, true);
    }
  }

  async function shareContact() {
    const user = state.current;
    const phone = `+51 9${String(user.id).padStart(8, "0").slice(-8)}`;
    try {
      const res = await api("POST", "/_chat/contact", { user_id: user.id, phone, first_name: user.name });
      addUserItem({
        message_id: res.message_id, date: Date.now() / 1000,
        contact: { first_name: user.name, phone_number: phone },
      });
    } catch (error) {
      showToast(`No se pudo compartir el número: ${error.message}`, true);
    }
  }

  async function press(m, button, node) {
    node.classList.add("busy");
    node.setAttribute("aria-busy", "true");
    try {
      await api("POST", "/_chat/press", {
        user_id: state.current.id, message_id: m.message_id, callback_data: button.callback_data,
      });
    } catch (error) {
      node.classList.remove("busy");
      showToast(`No se pudo pulsar el botón: ${error.message}`, true);
    }
    setTimeout(() => { node.classList.remove("busy"); node.removeAttribute("aria-busy"); }, 4000);
  }

  function clearBusy() {
    for (const b of ui.messages.querySelectorAll(".kb-button.busy")) {
      b.classList.remove("busy");
      b.removeAttribute("aria-busy");
    }
  }

  let toastTimer = null;
  function showToast(text, alert) {
    ui.toast.replaceChildren(el("span", "", text));
    ui.toast.classList.toggle("alert", alert);
    if (alert) {
      const ok = el("button", "toast-close", "Aceptar");
      ok.type = "button";
      ok.addEventListener("click", () => { ui.toast.hidden = true; ui.input.focus(); });
      ui.toast.append(ok);
    }
    ui.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { ui.toast.hidden = true; }, alert ? 8000 : 3500);
  }

  // ---- users -------------------------------------------------------------------------------

  function renderUserSelect() {
    ui.select.replaceChildren();
    for (const user of state.users) {
      const unread = state.chats.get(user.id)?.unread || 0;
      const role = user.role ? ` — ${user.role}` : "";
      const label = `${user.name}${role}${unread ? ` (${unread} nuevos)` : ""}`;
      const option = el("option", "", label);
      option.value = String(user.id);
      option.selected = state.current && user.id === state.current.id;
      ui.select.append(option);
    }
    const add = el("option", "", "+ Otro usuario…");
    add.value = ADD_USER;
    ui.select.append(add);
  }

  async function showChat(id) {
    const user = state.users.find((u) => u.id === id);
    if (!user) return;
    state.current = user;
    localStorage.setItem(STORE_USER, String(id));
    const chat = chatOf(id);
    chat.unread = 0;
    renderUserSelect();
    try {
      if (!chat.loaded) await loadChat(id);
    } catch (error) {
      showToast(`No se pudo cargar la conversación: ${error.message}`, true);
    }
    if (state.current === user) renderChat();
  }

  function addUser(id, name) {
    const extra = JSON.parse(localStorage.getItem(STORE_EXTRA) || "[]");
    if (!state.users.some((u) => u.id === id)) {
      const user = { id, name: name || `Usuario ${id}`, role: "prueba" };
      state.users.push(user);
      extra.push(user);
      localStorage.setItem(STORE_EXTRA, JSON.stringify(extra));
    }
    return showChat(id);
  }

  // ---- wiring ------------------------------------------------------------------------------

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = `${Math.min(ui.input.scrollHeight, 140)}px`;
  }

  ui.composer.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = ui.input.value;
    ui.input.value = "";
    autoGrow();
    closeMenu();
    sendText(text);
    ui.input.focus();
  });

  ui.input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      ui.composer.requestSubmit();
    } else if (ev.key === "Escape") {
      closeMenu();
    }
  });

  ui.input.addEventListener("input", () => {
    autoGrow();
    const value = ui.input.value;
    if (/^\/\w*$/.test(value) && renderMenu(value)) {
      ui.menu.hidden = false;
      ui.menuButton.setAttribute("aria-expanded", "true");
    } else {
      closeMenu();
    }
  });

  ui.menuButton.addEventListener("click", toggleMenu);
  ui.menu.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { closeMenu(); ui.menuButton.focus(); }
  });

  ui.select.addEventListener("change", () => {
    if (ui.select.value === ADD_USER) {
      renderUserSelect();
      ui.dialogForm.reset();
      ui.dialog.showModal();
      return;
    }
    showChat(Number(ui.select.value)).then(() => ui.input.focus());
  });

  $("add-user-cancel").addEventListener("click", () => ui.dialog.close());
  ui.dialogForm.addEventListener("submit", () => {
    const id = Number($("new-user-id").value);
    if (Number.isSafeInteger(id) && id > 0) addUser(id, $("new-user-name").value.trim());
  });

  ui.toast.addEventListener("click", (ev) => {
    if (ev.target === ui.toast) ui.toast.hidden = true;
  });

  async function start() {
    let config = { users: [] };
    let info = null;
    for (;;) {
      try {
        [config, info] = await Promise.all([api("GET", "/config.json"), api("GET", "/_chat/info")]);
        break;
      } catch (_) {
        setOnline(false);
        await sleep(1000);
      }
    }
    setOnline(true);
    ui.botName.textContent = info.bot.first_name || "Bot";
    document.title = `${ui.botName.textContent} · chat de prueba`;
    state.commands = info.commands || [];
    state.last = info.last;
    state.users = config.users.length
      ? config.users.map((u) => ({ id: u.id, name: u.name, role: u.role }))
      : info.users.map((u) => ({ id: u.id, name: u.first_name, role: "" }));
    for (const user of JSON.parse(localStorage.getItem(STORE_EXTRA) || "[]")) {
      if (!state.users.some((u) => u.id === user.id)) state.users.push(user);
    }
    if (!state.users.length) state.users.push({ id: 1001, name: "Ana", role: "" });
    const wanted = new URLSearchParams(location.search).get("usuario")
      || localStorage.getItem(STORE_USER);
    const first = state.users.find((u) => String(u.id) === wanted) || state.users[0];
    await showChat(first.id);
    document.body.dataset.ready = "true";
    ui.input.focus();
    poll();
  }

  start();
})();
