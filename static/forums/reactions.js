// Reactions without a page reload. Without JavaScript the forms post and the page reloads.
for (const form of document.querySelectorAll("form.harbour-react")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (response.ok) {
        button.setAttribute("aria-pressed", String(result.active));
        button.querySelector(".harbour-reaction__count").textContent = result.count;
      } else {
        form.submit();
      }
    } catch {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
}
