// The business plan form. No inline script anywhere: the CSP forbids it.
// An autosave refused because someone else saved the plan (409) or because of what was typed
// (400, such as a NUL character) still shows its message.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 409 || (status === 400 && event.detail.target.id === "autosave-status")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
