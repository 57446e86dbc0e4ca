// Amounts in won (portal/money.py's MoneyInput: input[data-money]). As a person types them:
// the field starts empty, thousands separators appear as you type (the caret stays after the
// digit it was after), pasted "30,000,000", "30000000원" or full-width "３０，０００，０００" are
// taken as the same amount, and the readable form ("3,000만 원", "30 million won") shows
// beside. The value sent, by a form or by htmx, is the integer's digits. No inline script
// anywhere: the CSP forbids it. The server parses again whatever arrives (portal/numbers.py).
(() => {
  const FULL_WIDTH = /[\uFF10-\uFF19]/g;
  const english = () => (document.documentElement.lang || "ko").startsWith("en");

  // The digits of what was typed or pasted, leading zeros dropped ("" when there are none).
  const digitsOf = (text, negative) => {
    const folded = String(text).replace(FULL_WIDTH, (d) => String(d.charCodeAt(0) - 0xFF10));
    const minus = negative && /^\s*[-\u2212\uFF0D]/.test(folded);
    const digits = folded.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    return (minus && digits ? "-" : "") + digits;
  };
  const grouped = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  // The same reading as the won_readable template filter (portal/templatetags/portal_tags.py).
  const readable = (digits) => {
    if (!digits || digits === "-") return "";
    const negative = digits.startsWith("-");
    let rest = BigInt(negative ? digits.slice(1) : digits);
    const sign = negative ? "-" : "";
    if (english()) {
      for (const [size, word] of [[10n ** 12n, "trillion"], [10n ** 9n, "billion"],
                                  [10n ** 6n, "million"]]) {
        if (rest >= size) {
          const value = (Number(rest) / Number(size)).toFixed(3).replace(/\.?0+$/, "");
          return `${sign}${value} ${word} won`;
        }
      }
      return `${sign}${grouped(String(rest))} won`;
    }
    const parts = [];
    for (const [size, word] of [[10n ** 12n, "조"], [10n ** 8n, "억"], [10n ** 4n, "만"]]) {
      if (rest >= size) {
        parts.push(grouped(String(rest / size)) + word);
        rest %= size;
      }
    }
    if (rest > 0n || parts.length === 0) parts.push(grouped(String(rest)));
    return `${sign}${parts.join(" ")} 원`;
  };

  const readableFor = (input) => {
    let output = document.getElementById(`${input.id}-readable`);
    if (!output) {
      output = document.createElement("div");
      output.id = `${input.id}-readable`;
      output.className = "form-text amount-readable";
      output.setAttribute("aria-live", "polite");
      const group = input.closest(".input-group") || input;
      group.after(output);
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      input.setAttribute("aria-describedby", [...described, output.id].join(" "));
    }
    return output;
  };

  const format = (input) => {
    const negative = input.hasAttribute("data-money-negative");
    const before = input.value;
    const caret = input.selectionStart ?? before.length;
    const digitsBefore = digitsOf(before.slice(0, caret), negative).replace("-", "").length;
    const digits = digitsOf(before, negative);
    // Text that holds no digit at all (a letter typed by mistake) is left for the server to
    // refuse with its message; only digits are reshaped.
    if (!digits && before.trim() !== "") {
      readableFor(input).textContent = "";
      return;
    }
    const shown = digits.startsWith("-") ? "-" + grouped(digits.slice(1)) : grouped(digits);
    if (shown !== before) {
      input.value = shown;
      if (document.activeElement === input) {
        let position = 0;
        let seen = 0;
        while (position < shown.length && seen < digitsBefore) {
          if (/\d/.test(shown[position])) seen += 1;
          position += 1;
        }
        input.setSelectionRange(position, position);
      }
    }
    readableFor(input).textContent = readable(digits);
  };

  const plain = (input) => digitsOf(input.value, input.hasAttribute("data-money-negative"));
  window.portalMoney = { digitsOf, grouped, readable, plain };

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("input[data-money]")) format(event.target);
  });
  // What a form sends: the digits, not the separators shown.
  document.addEventListener("formdata", (event) => {
    event.target.querySelectorAll("input[data-money][name]").forEach((input) => {
      if (event.formData.has(input.name) && input.value.trim() !== "" && plain(input) !== "") {
        event.formData.set(input.name, plain(input));
      }
    });
  });
  // What htmx sends (autosave, the support preview): the digits as well.
  document.addEventListener("htmx:configRequest", (event) => {
    const parameters = event.detail.parameters;
    document.querySelectorAll("input[data-money][name]").forEach((input) => {
      // htmx 2 hands a FormData (behind a proxy): has/get/set work on both.
      if (!parameters.has(input.name) || plain(input) === "") return;
      parameters.set(input.name, plain(input));
    });
  });
  const start = () => document.querySelectorAll("input[data-money]").forEach(format);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:load", (event) => {
    event.detail.elt.querySelectorAll?.("input[data-money]").forEach(format);
  });
})();
