// Reactions without a page reload. Each post has one form; its buttons send the reaction's kind.
// Without JavaScript the form posts and the page reloads, and so does any failure here.
function postWithoutScript(form, button) {
  const kind = document.createElement("input");
  kind.type = "hidden";
  kind.name = button.name;
  kind.value = button.value;
  form.append(kind);
  form.submit();
}

for (const form of document.querySelectorAll("form.harbour-react")) {
  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button || !button.name) {
      return;
    }
    event.preventDefault();
    const body = new FormData(form);
    body.set(button.name, button.value);
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (response.ok) {
        button.setAttribute("aria-pressed", String(result.active));
        button.querySelector(".harbour-reaction__count").textContent = result.count;
      } else {
        postWithoutScript(form, button);
      }
    } catch {
      postWithoutScript(form, button);
    } finally {
      button.disabled = false;
    }
  });
}
