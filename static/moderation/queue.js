// Live review queue: new items, claims and resolutions without a reload.
const root = document.getElementById("queue");
const state = document.getElementById("queue-connection");
const rows = document.getElementById("queue-items");
let delay = 1000;

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text ?? "";
  return span.innerHTML;
}

function upsert(item) {
  let row = rows.querySelector(`tr[data-item="${item.id}"]`);
  if (item.resolved) {
    row?.remove();
    return;
  }
  if (!row) {
    row = document.createElement("tr");
    row.dataset.item = item.id;
    row.innerHTML = `<td><a href="/moderation/items/${item.id}/">${escapeText(item.kind)}: ${escapeText(item.summary)}</a></td>
      <td></td><td>${escapeText(item.tier || "—")}</td><td>${escapeText(new Date(item.due_at).toLocaleString())}</td>
      <td class="harbour-claimed"></td>`;
    rows.prepend(row);
  }
  row.querySelector(".harbour-claimed").textContent = item.claimed_by || "—";
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${root.dataset.socket}`);
  state.textContent = "Live updates: connecting…";
  socket.addEventListener("open", () => { state.textContent = "Live updates: on"; delay = 1000; });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "queue") upsert(data.item);
  });
  socket.addEventListener("close", () => {
    state.textContent = "Live updates: offline, retrying";
    setTimeout(connect, delay + Math.random() * delay);
    delay = Math.min(delay * 2, 30000);
  });
}

if (root && "WebSocket" in window) connect();
