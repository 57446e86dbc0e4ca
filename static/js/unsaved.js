// Nothing typed is lost: leaving a page whose form holds changes not yet saved asks first
// (the browser's own "leave site?" prompt, through beforeunload). A form is compared with what
// it held when the page loaded; sending it, or an autosave that succeeded for a field (an
// htmx answer holding data-state="saved"), makes its current content the saved one. Forms
// sent with GET (filters, searches) and forms marked data-unsaved-ignore are not watched.
// No inline script anywhere: the CSP forbids it.
(() => {
  const watched = (form) => form.method.toLowerCase() === "post"
    && !form.hasAttribute("data-unsaved-ignore");

  // One field's content as text: amounts by their digits (money.js reshapes them as typed).
  const valueOf = (field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked ? "1" : "0";
    if (field.type === "file") return Array.from(field.files || []).map((f) => f.name).join("|");
    if (field.multiple && field.options) {
      return Array.from(field.options).filter((o) => o.selected).map((o) => o.value).join("|");
    }
    if (field.hasAttribute("data-money")) return field.value.replace(/[^\d-]/g, "");
    return field.value;
  };
  const fieldsOf = (form) => Array.from(form.elements).filter((field) => field.name
    && !field.disabled && !["hidden", "submit", "button", "reset"].includes(field.type));
  const key = (field) => `${field.name}\u0000${field.type === "radio" ? field.value : ""}`;

  const saved = new WeakMap(); // form -> Map(key -> value)
  const remember = (form) => {
    saved.set(form, new Map(fieldsOf(form).map((field) => [key(field), valueOf(field)])));
  };
  const changed = (form) => {
    const before = saved.get(form);
    if (!before) return false;
    return fieldsOf(form).some((field) => {
      const value = valueOf(field);
      return before.has(key(field)) ? before.get(key(field)) !== value
        : value !== "" && value !== "0";
    });
  };

  let leaving = false; // a form is being sent: its own page change is not "leaving"
  const start = () => {
    document.querySelectorAll("form").forEach((form) => { if (watched(form)) remember(form); });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  // Autosave and sending the form must not cross: a save on its own that lands while the form
  // is being sent would make the form's revision old (refused as "changed by someone else").
  // Sending waits for the saves in flight (then goes with the revision they answered), and no
  // new one starts once the form is on its way.
  const isAutosave = (detail) => /\/autosave\/?$/.test((detail.requestConfig
    && detail.requestConfig.path) || detail.path || "");
  let inFlight = 0;
  let sending = null; // {form, submitter} waiting for the saves in flight
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!isAutosave(event.detail)) return;
    if (leaving || sending) event.preventDefault();
    else inFlight += 1;
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (!isAutosave(event.detail)) return;
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && sending) {
      const { form, submitter } = sending;
      sending = null;
      setTimeout(() => { leaving = true; form.requestSubmit(submitter || undefined); }, 0);
    }
  });
  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented || !watched(event.target)) return;
    if (inFlight > 0) {
      event.preventDefault();
      sending = { form: event.target, submitter: event.submitter };
      return;
    }
    leaving = true;
  });
  // An autosave that succeeded: the field it sent is saved as it was sent.
  document.addEventListener("htmx:afterRequest", (event) => {
    const source = event.detail.elt;
    const answer = event.detail.xhr ? event.detail.xhr.responseText || "" : "";
    if (!event.detail.successful || !answer.includes('data-state="saved"') || !source) return;
    const form = source.form || source.closest("form");
    if (!form || !saved.has(form)) return;
    const before = saved.get(form);
    const fields = source.matches("input, select, textarea") ? [source]
      : Array.from(source.querySelectorAll("input[name], select[name], textarea[name]"));
    fields.forEach((field) => before.set(key(field), valueOf(field)));
  });
  // htmx swapping in a new form (a step saved and shown again) starts it afresh.
  document.addEventListener("htmx:load", (event) => {
    const root = event.detail.elt;
    const forms = root.tagName === "FORM" ? [root] : Array.from(root.querySelectorAll?.("form") || []);
    forms.forEach((form) => { if (watched(form) && !saved.has(form)) remember(form); });
  });
  window.addEventListener("beforeunload", (event) => {
    if (leaving) return;
    const dirty = Array.from(document.querySelectorAll("form")).some((form) => watched(form)
      && changed(form));
    if (dirty) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set to show the prompt
    }
  });
  // Coming back to the page (the back button, bfcache): sending is over.
  window.addEventListener("pageshow", () => { leaving = false; });
})();
