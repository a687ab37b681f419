// The live Wall. Without this file the page still shows the latest messages and posts through
// the form. With it: messages arrive live, nothing is lost on a dropped connection (the browser
// resumes from the last event number it saw), and a resend never makes a duplicate.
const root = document.getElementById("wall");
const list = document.getElementById("wall-messages");
const status = document.getElementById("wall-connection");
const stateText = document.getElementById("wall-state");
const form = document.getElementById("wall-form");
const refusal = document.getElementById("wall-refusal");
const box = document.getElementById("wall-body");
const announcer = document.getElementById("wall-announcer");
const isModerator = root.dataset.moderator === "1";
let lastSeq = Number(root.dataset.lastSeq || 0);
let socket = null;
let delay = 1000;
const pending = new Map(); // client_id -> body, until the server acknowledges it
const RETRY_FAILED_MS = 3000;
const MAX_RETRIES = 5;
const retries = new Map(); // client_id -> resends after a failure of ours
const REACTIONS = [["relate", "I relate"], ["thanks", "Thank you"], ["support", "Sending support"]];
let replyTo = null;

function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function setStatus(text) {
  status.textContent = `Connection: ${text}`;
}

function render(message) {
  let item = document.getElementById(`message-${message.id}`);
  if (message.status === "hidden") {
    item?.remove();
    return;
  }
  if (!item) {
    document.getElementById("wall-empty")?.remove();
    item = document.createElement("li");
    item.id = `message-${message.id}`;
    item.className = "harbour-wall__message";
    list.append(item);
  }
  item.replaceChildren();
  const avatar = document.createElement("img");
  Object.assign(avatar, { src: message.avatar, alt: "", width: 32, height: 32, className: "harbour-avatar" });
  const name = document.createElement("strong");
  name.textContent = message.author;
  item.append(avatar, " ", name);
  if (message.badge) {
    const badge = document.createElement("strong");
    badge.className = "nhsuk-tag nhsuk-tag--white";
    badge.textContent = message.badge;
    item.append(" ", badge);
  }
  const time = document.createElement("time");
  time.dateTime = message.created_at;
  time.textContent = new Date(message.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  item.append(" ", time);
  if (message.status === "held") {
    const held = document.createElement("span");
    held.className = "nhsuk-tag nhsuk-tag--yellow";
    held.textContent = "Waiting for a moderator: only you can see it";
    item.append(" ", held);
  }
  if (message.reply_to) {
    const quoted = document.getElementById(`message-${message.reply_to}`);
    const note = document.createElement("span");
    note.className = "nhsuk-body-s";
    note.textContent = quoted ? ` replying to ${quoted.dataset.author}` : " replying";
    item.append(note);
  }
  item.dataset.author = message.author;
  const body = document.createElement("div");
  body.className = "harbour-wall__body";
  body.innerHTML = message.body_html; // sanitised by Harbour's markup module on the server
  item.append(body);
  if (message.status !== "published") return;
  const actions = document.createElement("div");
  actions.className = "harbour-post__actions";
  for (const [kind, label] of REACTIONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "harbour-reaction";
    button.dataset.kind = kind;
    button.innerHTML = `${label} <span class="harbour-reaction__count"></span>`;
    button.querySelector("span").textContent = (message.reactions || {})[kind] || 0;
    button.addEventListener("click", () => send({ type: "react", message: message.id, kind }));
    actions.append(button);
  }
  actions.append(action("Reply", () => {
    replyTo = message.id;
    box.setAttribute("aria-describedby", "wall-replying");
    showReplying(message.author);
    box.focus();
  }));
  const report = document.createElement("a");
  report.href = `/moderation/report/?type=wall.message&id=${message.id}`;
  report.textContent = "Report";
  actions.append(report);
  if (isModerator) {
    actions.append(action("Hide", () => moderate("hide", message.id)));
    actions.append(action("Pin", () => moderate("pin", message.id)));
    actions.append(action("Mute author 30 minutes", () => send({
      type: "mute", member: message.author_id, minutes: 30, reason: "Muted on the Wall for 30 minutes",
    })));
  }
  item.append(actions);
}

function action(label, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "harbour-link-button";
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

function showReplying(author) {
  let note = document.getElementById("wall-replying");
  if (!note) {
    note = document.createElement("p");
    note.id = "wall-replying";
    box.before(note);
  }
  note.textContent = author ? `Replying to ${author}` : "";
}

function moderate(action, id) {
  if (action === "hide") {
    const reason = prompt("Why hide it? The author sees this reason, privately.");
    if (reason) send({ type: "hide", message: id, reason });
  } else {
    send({ type: "pin", message: id });
  }
}

function showState(open, changesAt) {
  stateText.textContent = open
    ? `Open now${changesAt ? `, until ${new Date(changesAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}.`
    : `Closed now: the Wall is read-only outside office hours.${changesAt ? ` It opens ${new Date(changesAt).toLocaleString([], { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })}.` : ""}`;
  if (!form) return;
  // Closing never hides what someone is typing: the form stays, and sending waits.
  const closed = !open && !isModerator;
  form.querySelector("button[type=submit]").disabled = closed;
  if (!box.value) form.hidden = closed;
}

function showPinned(message) {
  const section = document.getElementById("wall-pinned");
  const body = document.getElementById("wall-pinned-body");
  section.hidden = !message;
  body.innerHTML = message ? `<strong></strong>: ${message.body_html}` : "";
  if (message) body.querySelector("strong").textContent = message.author;
  if (message && isModerator) body.append(" ", action("Unpin", () => send({ type: "pin", message: null })));
}

// The text a screen reader hears for a message that has just arrived. A <template> parses the
// (already sanitised) markup inertly: nothing in it loads or runs.
function announce(message) {
  const parsed = document.createElement("template");
  parsed.innerHTML = message.body_html;
  announcer.textContent = `New message from ${message.author}: ${parsed.content.textContent.trim()}`;
}

function apply(event) {
  if (event.seq <= lastSeq) return; // already seen: no duplicates
  if (event.seq > lastSeq + 1) {
    // A gap (events can cross between server processes): ask for everything after the last
    // one applied; the replay brings this event too, in order.
    send({ type: "resume", last_seq: lastSeq });
    return;
  }
  lastSeq = event.seq;
  const payload = event.payload;
  switch (event.kind) {
    case "message": {
      const arriving = payload.status !== "hidden" && !document.getElementById(`message-${payload.id}`);
      render(payload);
      if (arriving) announce(payload);
      break;
    }
    case "hide": document.getElementById(`message-${payload.id}`)?.remove(); break;
    case "pin": showPinned(payload.message); break;
    case "reaction": {
      const count = document.querySelector(`#message-${payload.id} [data-kind="${payload.kind}"] span`);
      if (count) count.textContent = payload.count;
      break;
    }
    case "skip": break; // a number used by something not for this reader (a held message)
    case "open": showState(true, payload.changes_at); break;
    case "close": showState(false, payload.changes_at); break;
    default: break;
  }
}

function loadState(data) {
  lastSeq = data.last_seq;
  const unsent = list.querySelectorAll(".harbour-wall__message--unsent");
  list.replaceChildren();
  data.history.forEach(render);
  list.append(...unsent);
  showPinned(data.pinned);
  showState(data.open, data.changes_at);
}

function send(content) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(content));
}

// A message written while the connection is down stays on screen, marked, until the server
// has it: the writer can see it is not lost, and a screen reader hears so.
function showUnsent() {
  for (const [clientId, message] of pending) {
    if (document.getElementById(`unsent-${clientId}`)) continue;
    document.getElementById("wall-empty")?.remove();
    const item = document.createElement("li");
    item.id = `unsent-${clientId}`;
    item.className = "harbour-wall__message harbour-wall__message--unsent";
    const tag = document.createElement("span");
    tag.className = "nhsuk-tag nhsuk-tag--grey";
    tag.textContent = "Not sent yet: it goes when the connection is back";
    const body = document.createElement("div");
    body.className = "harbour-wall__unsent-body";
    body.textContent = message.body;
    item.append(tag, body);
    list.append(item);
    announcer.textContent = "Your message is not sent yet: it goes when the connection is back.";
  }
}

function clearUnsent(clientId) {
  document.getElementById(`unsent-${clientId}`)?.remove();
}

function retryLater(clientId) {
  const attempts = (retries.get(clientId) || 0) + 1;
  retries.set(clientId, attempts);
  if (attempts > MAX_RETRIES) return; // shown as not sent yet until the next reconnect
  setTimeout(() => {
    const message = pending.get(clientId);
    if (message) send({ type: "post", client_id: clientId, ...message });
  }, RETRY_FAILED_MS * 2 ** (attempts - 1));
}

function flushPending() {
  for (const [clientId, message] of pending) send({ type: "post", client_id: clientId, ...message });
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  setStatus("connecting");
  socket = new WebSocket(`${scheme}://${location.host}${root.dataset.socket}`);
  socket.addEventListener("open", () => {
    delay = 1000;
    setStatus("live");
    send({ type: "resume", last_seq: lastSeq });
    flushPending();
  });
  socket.addEventListener("message", (incoming) => {
    const data = JSON.parse(incoming.data);
    if (data.type === "hello") {
      showState(data.open, data.changes_at);
      showPinned(data.pinned);
    } else if (data.type === "reload") {
      loadState(data);
    } else if (data.type === "event") {
      apply(data);
    } else if (data.type === "ack") {
      pending.delete(data.client_id);
      retries.delete(data.client_id);
      clearUnsent(data.client_id);
      if (data.tier) {
        document.getElementById("risk-support")?.removeAttribute("hidden");
        const hours = document.getElementById("wall-support-hours");
        if (hours && data.status === "held" && data.out_of_hours) hours.hidden = false;
      }
    } else if (data.type === "error") {
      if (data.code === "failed" && pending.has(data.client_id)) {
        // Our fault, not the message's: it stays on screen as not sent yet and goes again under
        // the same id, which the server never saves twice; a reconnect sends it too.
        showUnsent();
        retryLater(data.client_id);
      } else if (data.client_id) {
        retries.delete(data.client_id);
        const body = pending.get(data.client_id)?.body;
        pending.delete(data.client_id);
        clearUnsent(data.client_id);
        if (body) box.value = box.value ? `${body}\n${box.value}` : body; // nothing typed is lost
        form.hidden = false;
      }
      alertText(data.message);
    } else if (data.type === "muted") {
      alertText("A moderator has paused your posting here for a while.");
    }
  });
  socket.addEventListener("close", () => {
    setStatus("offline, reconnecting");
    showUnsent();
    const wait = delay / 2 + Math.random() * delay;
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

function alertText(text) {
  let note = document.getElementById("wall-alert");
  if (!note) {
    note = document.createElement("p");
    note.id = "wall-alert";
    note.className = "nhsuk-error-message";
    note.setAttribute("role", "alert");
    form?.before(note);
  }
  note.textContent = text;
}

if (form && "WebSocket" in window) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = box.value.trim();
    if (!body) return;
    const clientId = newClientId();
    pending.set(clientId, { body, reply_to: replyTo });
    box.value = "";
    send({ type: "post", client_id: clientId, body, reply_to: replyTo });
    if (socket?.readyState !== WebSocket.OPEN) showUnsent();
    replyTo = null;
    showReplying(null);
  });
  document.getElementById("wall-slow-set")?.addEventListener("click", () => {
    send({ type: "slow_mode", seconds: Number(document.getElementById("wall-slow").value) });
  });
  connect();
}
