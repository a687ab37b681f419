// While someone writes, check it against the risk phrases: the text goes only to Harbour, and
// only the tier comes back. On a match, the supportive message appears above the form.
const panel = document.getElementById("risk-support");
for (const form of document.querySelectorAll("form[data-risk-check]")) {
  const box = form.querySelector("textarea");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!box || !token || !panel) continue;
  let timer;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = [form.querySelector("input[name=title]")?.value, box.value].join("\n");
      const body = new URLSearchParams({ text });
      try {
        const response = await fetch(form.dataset.riskCheck, {
          method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": token.value, Accept: "application/json" },
        });
        if (response.ok && (await response.json()).tier) panel.hidden = false;
      } catch {
        // Offline: the check runs again on the server when the post is sent.
      }
    }, 800);
  });
}
