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
    dialog: $("add-user"), dialogForm: $("add-user-form"), attach: $("attach-button"),
    file: $("file-input"), sticker: $("sticker-button"), replyBar: $("reply-bar"),
    replyTo: $("reply-to"), replyCancel: $("reply-cancel"), avatar: $("avatar"),
  };

  const state = {
    users: [],          // {id, name, role, member?}: a group has a member, who writes there
    current: null,      // one of users
    replyTo: null,      // in a group: the bot message being answered (Telegram's «Responder»)
    pinned: true,       // the conversation is scrolled to its end: keep it there
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
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.description || `HTTP ${response.status}`);
    return data;
  }

  // As Telegram does: the bubble shows the time only, in the device's own time zone; the full
  // date (dd/mm/aaaa hh:mm) is the tooltip.
  const dateFormat = new Intl.DateTimeFormat("es-PE", {
    day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23",
  });

  function timeParts(seconds) {
    const parts = {};
    for (const p of dateFormat.formatToParts(new Date(seconds * 1000))) parts[p.type] = p.value;
    return parts;
  }

  function clock(seconds) {
    const p = timeParts(seconds);
    return `${p.hour}:${p.minute}`;
  }

  function when(seconds) {
    const p = timeParts(seconds);
    return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
  }

  const dayFormat = new Intl.DateTimeFormat("es-PE", { day: "numeric", month: "long" });
  const dayYearFormat = new Intl.DateTimeFormat("es-PE", {
    day: "numeric", month: "long", year: "numeric",
  });
  const dayKey = (seconds) => new Date(seconds * 1000).toDateString();

  // The chip above a day's first message, as Telegram shows one: «Hoy», «30 de noviembre».
  function dayLabel(seconds) {
    const date = new Date(seconds * 1000);
    const today = new Date();
    if (date.toDateString() === today.toDateString()) return "Hoy";
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (date.toDateString() === yesterday.toDateString()) return "Ayer";
    return (date.getFullYear() === today.getFullYear() ? dayFormat : dayYearFormat).format(date);
  }

  function refreshDays() {
    for (const chip of ui.messages.querySelectorAll(".day-chip")) chip.remove();
    let previous = null;
    for (const row of [...ui.messages.querySelectorAll(".row[data-date]")]) {
      const seconds = Number(row.dataset.date);
      if (!seconds) continue;
      const key = dayKey(seconds);
      if (key !== previous) {
        const chip = el("div", "day-chip", dayLabel(seconds));
        chip.setAttribute("role", "separator");
        row.before(chip);
      }
      previous = key;
    }
  }

  const isGroup = (user) => Boolean(user && user.member);
  // Who writes in the chat on screen: the person, or in a group the member who writes there.
  const sender = (user) => (isGroup(user) ? user.member : user);

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
    if (event.type === "reaction") {
      const item = chatOf(chatId).items.get(event.message_id);
      if (item && item.side === "user") {
        item.data = { ...item.data, reactions: event.emoji || [] };
        if (isCurrent) upsertNode(item, false);
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

  let online = false;
  function setOnline(value) {
    online = value;
    const user = state.current;
    ui.status.textContent = !online ? "sin conexión…"
      : isGroup(user) ? `grupo · escribe ${user.member.name}` : "bot";
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
    const group = isGroup(state.current);
    ui.botName.textContent = group ? state.current.name : state.botName;
    ui.avatar.textContent = ui.botName.textContent.slice(0, 1).toUpperCase();
    ui.avatar.classList.toggle("group", group);
    ui.input.placeholder = group ? "Responda con ↩" : "Mensaje";
    setOnline(online);
    setReply(null);
    ui.messages.replaceChildren();
    const items = [...chat.items.values()].sort((a, b) => a.id - b.id);
    if (!items.length) ui.messages.append(group ? emptyGroup() : emptyState());
    for (const item of items) ui.messages.append(itemNode(item));
    refreshDays();
    refreshButtons();
    keyboardFor = null;
    updateReplyKeyboard();
    scrollToBottom();
    state.pinned = true;
  }

  function emptyGroup() {
    const box = el("div", "empty");
    box.append(el("p", "", "Aquí llegan las consultas de /especialista. Aún no hay ninguna."));
    return box;
  }

  // Only the buttons of the latest message that has or had buttons can be pressed (the
  // terminal's #N presses the same ones); older ones look and act disabled. In a group every
  // consulta keeps its own buttons.
  function refreshButtons() {
    const group = isGroup(state.current);
    const boards = [...ui.messages.querySelectorAll(".row.bot .inline-keyboard")];
    const marked = [...ui.messages.querySelectorAll(".row.bot[data-had-buttons]")];
    const current = marked[marked.length - 1];
    const live = current && current.querySelector(".inline-keyboard");
    for (const board of boards) {
      const stale = !group && board !== live;
      board.classList.toggle("stale", stale);
      board.setAttribute("aria-label", stale
        ? "Botones de un mensaje anterior: ya no se pueden usar" : "Botones del mensaje");
      for (const b of board.querySelectorAll("button.kb-button")) {
        if (b.dataset.inert) continue; // no callback data: never pressable
        b.disabled = stale;
        b.setAttribute("aria-disabled", String(stale));
      }
    }
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
      const after = [...ui.messages.querySelectorAll(".row")].find((c) => Number(c.dataset.mid) > item.id);
      ui.messages.insertBefore(node, after || null);
    }
    refreshDays();
    refreshButtons();
    if (stick) scrollToBottom();
  }

  function itemNode(item) {
    const node = item.side === "bot" ? botNode(item.data) : userNode(item.data);
    if (item.data.date) node.dataset.date = String(Math.floor(item.data.date));
    return node;
  }

  function userNode(m) {
    const row = el("div", "row user");
    row.dataset.mid = m.message_id;
    const kind = m.kind || (m.contact ? "contact" : "text");
    if (kind === "sticker") {
      row.classList.add("sticker");
      const sticker = el("div", "sticker-art", m.emoji || "👍");
      sticker.setAttribute("role", "img");
      sticker.setAttribute("aria-label", `Sticker ${m.emoji || "👍"}`);
      row.append(sticker, metaNode(m.date, false, true));
      return row;
    }
    const bubble = el("div", "bubble");
    const me = sender(state.current);
    if (m.from_id && me && m.from_id !== me.id) bubble.append(el("div", "sender", m.from_name || ""));
    if (m.reply_to) bubble.append(quoteNode(m.reply_to));
    if (kind === "contact") {
      const card = el("div", "contact-card");
      card.append(el("span", "contact-icon", "👤"));
      const meta = el("span", "file-meta");
      meta.append(el("span", "file-name", m.contact.first_name || "Contacto"));
      meta.append(el("span", "file-size", m.contact.phone_number || ""));
      card.append(meta);
      bubble.append(card);
    } else if (kind === "photo") {
      bubble.classList.add("has-photo");
      const img = el("img", "photo");
      img.src = m.local_url || fileUrl(state.current.id, m.message_id);
      img.alt = "Foto enviada";
      bubble.append(img);
    } else if (kind === "document") {
      bubble.append(fileCard({ ...m, kind: "document" }, fileUrl(state.current.id, m.message_id)));
    }
    if (m.text) bubble.append(el("div", "text", m.text));
    if (m.reactions && m.reactions.length) {
      const marks = el("span", "reactions", m.reactions.join(" "));
      marks.setAttribute("aria-label", `Reacción del bot: ${m.reactions.join(" ")}`);
      bubble.append(marks);
    }
    bubble.append(metaNode(m.date, false, true));
    row.append(bubble);
    return row;
  }

  function quoteNode(target) {
    const quote = el("div", "reply-quote");
    quote.append(el("span", "reply-name", target.from_name || "Mensaje"));
    quote.append(el("span", "reply-text", (target.text || "").split("\n").find(Boolean) || ""));
    return quote;
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
    if (isGroup(state.current)) {
      bubble.prepend(el("div", "sender", state.botName));
      const line = el("div", "bubble-line");
      const reply = el("button", "reply-action", "↩");
      reply.type = "button";
      reply.title = "Responder";
      reply.setAttribute("aria-label", "Responder a este mensaje");
      reply.addEventListener("click", () => {
        setReply({ message_id: m.message_id, from_name: state.botName, text: m.plain_text || "" });
        ui.input.focus();
      });
      line.append(bubble, reply);
      row.append(line);
    } else {
      row.append(bubble);
    }
    if (m.buttons && m.buttons.length) row.append(inlineKeyboard(m));
    if (m.had_buttons || (m.buttons && m.buttons.length)) row.dataset.hadButtons = "true";
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
    const time = el("time", "", date ? clock(date) : "");
    if (date) {
      time.dateTime = new Date(date * 1000).toISOString();
      time.title = when(date);
    }
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
          b.dataset.inert = "true";
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
  // When one appears, the question it belongs to is scrolled into view above it.
  let keyboardFor = null;
  function updateReplyKeyboard() {
    const chat = chatOf(state.current.id);
    const items = [...chat.items.values()].sort((a, b) => a.id - b.id);
    let keyboardItem = null;
    for (const item of items) {
      if (item.side === "bot" && item.data.keyboard && item.data.keyboard.length) keyboardItem = item;
      else if (item.side === "user") keyboardItem = null;
    }
    const appeared = keyboardItem && keyboardItem.id !== keyboardFor;
    keyboardFor = keyboardItem ? keyboardItem.id : null;
    ui.keyboard.replaceChildren();
    ui.keyboard.hidden = !keyboardItem;
    if (!keyboardItem) return;
    if (appeared) requestAnimationFrame(() => revealQuestion(keyboardItem.id));
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

  function revealQuestion(id) {
    const node = ui.messages.querySelector(`[data-mid="${id}"]`);
    if (!node) return;
    const view = ui.messages;
    const top = node.getBoundingClientRect().top - view.getBoundingClientRect().top + view.scrollTop;
    if (view.scrollHeight - top <= view.clientHeight) scrollToBottom(); // it and what follows fit
    else view.scrollTop = top - 8;
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

  // The sender and the chat of a control-API call: a group names its chat and its member.
  function target() {
    const user = state.current;
    const who = sender(user);
    const body = { user_id: who.id, first_name: who.name };
    if (isGroup(user)) body.chat_id = user.id;
    return body;
  }

  function setReply(reply) {
    state.replyTo = reply;
    ui.replyBar.hidden = !reply;
    if (reply) {
      ui.replyTo.replaceChildren(quoteNode(reply));
    }
  }

  async function sendText(text) {
    text = text.trim();
    if (!text || !state.current) return;
    const user = state.current;
    const body = { ...target(), text };
    const reply = isGroup(user) ? state.replyTo : null;
    if (reply) body.reply_to = reply.message_id;
    try {
      const res = await api("POST", "/_chat/send", body);
      if (reply) setReply(null);
      if (state.current === user) {
        addUserItem({
          message_id: res.message_id, date: Date.now() / 1000, text, kind: "text",
          from_id: body.user_id, reply_to: reply,
        });
      }
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
        message_id: res.message_id, date: Date.now() / 1000, kind: "contact",
        contact: { first_name: user.name, phone_number: phone },
      });
    } catch (error) {
      showToast(`No se pudo compartir el número: ${error.message}`, true);
    }
  }

  // The clip: a photo (PNG or JPEG) or a document such as a PDF; the text typed so far is its
  // caption, as in Telegram. The sticker button sends a 👍 sticker.
  async function upload(kind, file) {
    const user = state.current;
    const form = new FormData();
    for (const [key, value] of Object.entries(target())) form.append(key, String(value));
    form.append("kind", kind);
    const caption = kind === "sticker" ? "" : ui.input.value.trim();
    if (caption) form.append("caption", caption);
    if (file) form.append("file", file, file.name);
    try {
      const res = await api("POST", "/_chat/upload", form);
      if (caption) { ui.input.value = ""; autoGrow(); }
      if (state.current !== user) return;
      addUserItem({
        message_id: res.message_id, date: Date.now() / 1000, kind, text: caption || null,
        emoji: kind === "sticker" ? "👍" : null, file_name: file ? file.name : null,
        file_size: file ? file.size : null,
        local_url: kind === "photo" ? URL.createObjectURL(file) : null,
      });
    } catch (error) {
      showToast(`No se pudo enviar el archivo: ${error.message}`, true);
    }
  }

  async function press(m, button, node) {
    node.classList.add("busy");
    node.setAttribute("aria-busy", "true");
    try {
      await api("POST", "/_chat/press", {
        ...target(), message_id: m.message_id, callback_data: button.callback_data,
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
      const news = unread === 1 ? "1 nuevo" : `${unread} nuevos`;
      const label = `${user.name}${role}${unread ? ` (${news})` : ""}`;
      const option = el("option", "", label);
      option.value = String(user.id);
      option.selected = state.current && user.id === state.current.id;
      ui.select.append(option);
    }
    const add = el("option", "", "+ Otro usuario…");
    add.className = "add-user";
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
      setReply(null);
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
  ui.attach.addEventListener("click", () => ui.file.click());
  ui.file.addEventListener("change", () => {
    const file = ui.file.files[0];
    ui.file.value = "";
    if (!file) return;
    upload(/^image\/(png|jpeg)$/.test(file.type) ? "photo" : "document", file);
  });
  ui.sticker.addEventListener("click", () => upload("sticker", null));
  ui.replyCancel.addEventListener("click", () => { setReply(null); ui.input.focus(); });
  ui.messages.addEventListener("scroll", () => { state.pinned = nearBottom(); });
  // The keyboard, the reply bar or a taller composer shrink the conversation: keep its end
  // in view, so the last message never hides behind them.
  new ResizeObserver(() => { if (state.pinned) scrollToBottom(); }).observe(ui.messages);
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
    state.botName = info.bot.first_name || "Bot";
    ui.botName.textContent = state.botName;
    document.title = `${state.botName} · chat de prueba`;
    state.commands = info.commands || [];
    state.last = info.last;
    state.users = config.users.length
      ? config.users.map((u) => ({ id: u.id, name: u.name, role: u.role, member: u.member }))
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
