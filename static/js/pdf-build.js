// "Preparing the PDF...": polls the build's status URL, moves the bar, and
// starts the download once the worker has written the file
// (templates/boards/pdf_build.html; the JSON is described in docs/exports.md).

const POLL_MS = 1000;
// After a network error, wait longer before asking again (the server may be restarting).
const RETRY_MS = 4000;

function show(root, status) {
  const state = root.querySelector("[data-pdf-state]");
  const bar = root.querySelector("[data-pdf-progress]");
  bar.value = status.progress;
  bar.textContent = `${status.progress} %`;
  root.dataset.status = status.status;
  if (status.status === "ready") {
    state.textContent = "Your PDF is ready. The download starts by itself.";
  } else if (status.status === "failed") {
    state.textContent = status.error;
  } else {
    state.textContent = `Preparing… ${status.step} (${status.progress} %)`;
  }
  root.querySelector("[data-pdf-ready]").hidden = status.status !== "ready";
  root.querySelector("[data-pdf-failed]").hidden = status.status !== "failed";
}

async function poll(root) {
  let status;
  try {
    const response = await fetch(root.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    status = await response.json();
  } catch {
    root.querySelector("[data-pdf-state]").textContent = "Preparing… (waiting for the server)";
    setTimeout(() => poll(root), RETRY_MS);
    return;
  }
  show(root, status);
  if (status.status === "ready") {
    // The file answers with Content-Disposition: attachment, so the page stays.
    window.location.assign(status.file_url);
  } else if (status.status !== "failed") {
    setTimeout(() => poll(root), POLL_MS);
  }
}

const root = document.querySelector("[data-pdf-build]");
if (root && root.dataset.status !== "ready" && root.dataset.status !== "failed") {
  poll(root);
}
