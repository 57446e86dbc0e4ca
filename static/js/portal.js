// Small behaviours that need no framework. No inline script anywhere: the CSP forbids it.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons marked data-confirm ask before their form is submitted.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Forms marked data-once disable their submit buttons after the first submit.
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
    });
  });
});
