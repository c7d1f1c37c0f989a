// The only script on the site; every page works without it.
// On the ingest form: say that the upload is on its way. On a job's page: keep
// the status line current by asking the job's JSON every second, and show the
// full results once the job has finished.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.ingest[action='/ingest']");
  if (form) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button");
      button.disabled = true;
      button.textContent = "Sending…";
    });
  }
  const status = document.querySelector("p.status[data-job]");
  if (!status) return;
  const url = `/ingest/jobs/${encodeURIComponent(status.dataset.job)}.json`;
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const job = await response.json();
        status.textContent = job.line;
        status.dataset.status = job.status;
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      status.dataset.lost = "true";  // the next answer rewrites the line
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 500);
});
