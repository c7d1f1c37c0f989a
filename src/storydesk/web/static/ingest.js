// The ingest form answers when every input is read; until then, say that it is working.
// (The only script on the site; the form works the same without it.)
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.ingest");
  if (!form) return;
  form.addEventListener("submit", () => {
    const files = form.querySelector("input[type=file]").files.length;
    const urls = form.querySelector("textarea[name=urls]").value.split("\n").filter((l) => l.trim()).length;
    const lines = form.querySelector("textarea[name=jsonl]").value.split("\n").filter((l) => l.trim()).length;
    const button = form.querySelector("button");
    button.disabled = true;
    button.textContent = "Ingesting…";
    const status = form.querySelector(".status");
    status.textContent = `Reading ${files} file(s), ${urls} URL(s) and ${lines} JSONL line(s); this page updates when all are done.`;
  });
});
