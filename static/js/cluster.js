// Cluster pages: amounts typed in won get their thousands separators when the field is left
// (the server accepts them with or without), and the priority evidence fields show only when
// the priority is claimed. No inline script anywhere: the CSP forbids it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-money]").forEach((input) => {
    input.addEventListener("blur", () => {
      const digits = input.value.replace(/[\s,원]/g, "");
      if (/^\d+$/.test(digits)) {
        input.value = Number(digits) <= Number.MAX_SAFE_INTEGER
          ? Number(digits).toLocaleString("en-US") : digits;
      }
    });
  });
  const claim = document.querySelector("#id_priority_claim");
  if (claim) {
    const fields = ["#div_id_priority_evidence", "#div_id_evidence"]
      .map((selector) => document.querySelector(selector)).filter(Boolean);
    const sync = () => fields.forEach((el) => el.classList.toggle("d-none", !claim.checked));
    claim.addEventListener("change", sync);
    sync();
  }
});
