// The scoring page's running total: the sum of every criterion's points as the reviewer types.
// Loaded with <script src defer> (the CSP forbids inline script). The server checks every
// figure again; this only helps the reviewer see where they stand.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("score-form");
  const output = document.getElementById("running-total");
  if (!form || !output) return;
  const fields = Array.from(form.querySelectorAll("input[data-points]"));
  const update = () => {
    // Half points at most: count in halves to avoid floating-point drift.
    let halves = 0;
    fields.forEach((field) => {
      const value = Number.parseFloat(field.value);
      if (Number.isFinite(value)) halves += Math.round(value * 2);
    });
    const total = halves / 2;
    output.textContent = Number.isInteger(total) ? String(total) : total.toFixed(1);
  };
  fields.forEach((field) => field.addEventListener("input", update));
  update();
});
