// The business plan form. No inline script anywhere: the CSP forbids it.
// An autosave refused because someone else saved the plan (409) still shows its message.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
