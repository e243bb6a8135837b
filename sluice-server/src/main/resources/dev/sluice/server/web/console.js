// Sluice console: sends state changes to /console/api (with the session's CSRF token), uploads
// artifacts with progress, counts a rollout's devices while its filter is typed, and polls the
// live part of a rollout's page with If-None-Match. No inline script: the CSP forbids it.
"use strict";
(function () {
  const main = document.getElementById("main");
  const csrf = main ? main.dataset.csrf : "";

  function say(el, text, bad) {
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("err", !!bad);
  }

  function statusNear(el) {
    const own = el.querySelector && el.querySelector(".status");
    if (own) return own;
    let n = el.nextElementSibling;
    while (n && !n.classList.contains("status")) n = n.nextElementSibling;
    return n || document.querySelector(".status");
  }

  async function api(method, url, body, contentType) {
    const headers = { "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = contentType || "application/json";
    const res = await fetch(url, { method, headers, body, credentials: "same-origin" });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const detail = json && (json.detail || json.title) ? (json.detail || json.title) : res.status + " " + res.statusText;
      throw new Error(detail);
    }
    return json;
  }

  document.addEventListener("click", async (ev) => {
    const b = ev.target.closest("button[data-post]");
    if (!b) return;
    if (b.dataset.confirm && !window.confirm(b.dataset.confirm)) return;
    const out = statusNear(b.parentElement);
    b.disabled = true;
    say(out, "Working…");
    try {
      await api("POST", b.dataset.post, "{}");
      say(out, "Done.");
      window.location.reload();
    } catch (e) {
      say(out, "Refused: " + e.message, true);
    } finally {
      b.disabled = false;
    }
  });

  document.querySelectorAll("form[data-json]").forEach((form) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      const body = {};
      new FormData(form).forEach((v, k) => { if (v !== "") body[k] = v; });
      const out = statusNear(form);
      try {
        await api(form.dataset.method || "POST", form.dataset.json, JSON.stringify(body));
        say(out, "Saved.");
        window.location.reload();
      } catch (e) {
        say(out, "Refused: " + e.message, true);
      }
    });
  });

  function upload(url, file, progress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded, e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else {
          let msg = xhr.status + "";
          try { msg = JSON.parse(xhr.responseText).detail || msg; } catch (e) { /* not JSON */ }
          reject(new Error(msg));
        }
      };
      xhr.onerror = () => reject(new Error("network error"));
      xhr.send(file);
    });
  }

  const newRelease = document.getElementById("new-release");
  if (newRelease) {
    newRelease.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = statusNear(newRelease);
      const bar = document.getElementById("nr-progress");
      const f = newRelease.elements;
      try {
        const manifest = await f.manifest.files[0].text();
        const q = "?product=" + encodeURIComponent(f.product.value) + "&version=" + encodeURIComponent(f.version.value);
        const created = await api("POST", "/console/api/v1/releases" + q, manifest);
        const files = Array.from(f.artifacts.files);
        bar.hidden = files.length === 0;
        for (const file of files) {
          say(out, "Uploading " + file.name + "…");
          await upload("/console/api/v1/releases/" + created.id + "/artifacts/" + encodeURIComponent(file.name), file,
            (done, total) => { bar.value = Math.round(100 * done / total); });
        }
        window.location.href = "/console/releases/" + created.id;
      } catch (e) {
        say(out, "Refused: " + e.message, true);
      }
    });
  }

  const newRollout = document.getElementById("new-rollout");
  if (newRollout) {
    const f = newRollout.elements;
    const count = document.getElementById("ro-count");
    let timer = null;
    const product = () => {
      const opt = f.release.selectedOptions[0];
      return opt ? opt.dataset.product : "";
    };
    const recount = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = "?product=" + encodeURIComponent(product()) + "&filter=" + encodeURIComponent(f.filter.value);
        try {
          const res = await api("GET", "/console/api/v1/device-count" + q);
          say(count, "Matching devices: " + res.count);
        } catch (e) {
          say(count, "Filter: " + e.message, true);
        }
      }, 250);
    };
    f.filter.addEventListener("input", recount);
    f.release.addEventListener("change", recount);
    recount();
    newRollout.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = statusNear(newRollout);
      const filter = f.filter.value.trim();
      const spec = {
        release: f.release.value,
        filter: filter,
        stages: f.stages.value.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number),
        success_threshold: Number(f.success_threshold.value),
        error_threshold: Number(f.error_threshold.value),
        gate: f.webhook.value ? "webhook=" + f.webhook.value : f.gate.value,
        type: f.type.value,
        confirmation: f.confirmation.value,
        sequential_test: f.sequential.checked ? { alpha: Number(f.alpha.value), beta: Number(f.beta.value) } : false,
      };
      if (f.schedule.value) spec.window = { schedule: f.schedule.value, duration: f.duration.value, zone: f.zone.value || "UTC" };
      try {
        const created = await api("POST", "/console/api/v1/rollouts", JSON.stringify(spec));
        if (f.start.checked) await api("POST", "/console/api/v1/rollouts/" + created.id + "/start", "{}");
        window.location.href = "/console/rollouts/" + created.id;
      } catch (e) {
        say(out, "Refused: " + e.message, true);
      }
    });
  }

  const live = document.getElementById("live");
  if (live && live.dataset.poll) {
    let etag = null;
    const poll = async () => {
      try {
        const headers = etag ? { "If-None-Match": etag } : {};
        const res = await fetch(live.dataset.poll, { headers, credentials: "same-origin" });
        if (res.status === 200) {
          etag = res.headers.get("ETag");
          live.innerHTML = await res.text();
        }
      } catch (e) { /* try again on the next tick */ }
      setTimeout(poll, 2000);
    };
    setTimeout(poll, 2000);
  }
})();
