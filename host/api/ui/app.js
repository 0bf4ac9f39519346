// The node's status page. Polls the node's GET endpoints every 2 s and
// rebuilds each panel. Everything from the API goes in through
// textContent or attributes, never as HTML.
"use strict";

const POLL_MS = 2000;
const TIMEOUT_MS = 5000;
const RESULTS_LIMIT = 20;

// el makes an element: el("td", {class: "x", title: "y"}, child, "text", …).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = String(v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// short shortens a long hex string or id: 0x1234…abcd.
function short(s, head = 6, tail = 4) {
  s = String(s || "");
  return s.length > head + tail + 1 ? s.slice(0, head) + "…" + (tail > 0 ? s.slice(-tail) : "") : s;
}

// mono is a monospaced value, shortened, with the whole value as title.
function mono(s, head, tail) {
  if (!s) return el("span", { class: "muted" }, "—");
  return el("span", { class: "mono", title: s }, short(s, head, tail));
}

function badge(text, kind) {
  return el("span", { class: "badge " + (kind || "") }, text);
}

function statusKind(s) {
  switch (s) {
    case "submitted": case "running": case "active": case "healthy": return "ok";
    case "signed": case "starting": case "restarting": case "pending": return "warn";
    case "failed": case "dropped": case "stopped": case "crashed": case "error": return "bad";
    default: return "";
  }
}

function ago(iso) {
  const t = Date.parse(iso);
  if (!t) return "";
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  return Math.floor(s / 86400) + " d ago";
}

function clock(d) {
  return d.toLocaleTimeString([], { hour12: false });
}

// Unreachable marks a failure to reach the node at all (not an HTTP error).
class Unreachable extends Error {}

// get fetches a JSON endpoint of the node, relative to the page.
async function get(path) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let resp;
  try {
    resp = await fetch(path, { signal: ctl.signal, cache: "no-store", headers: { Accept: "application/json" } });
  } catch (err) {
    throw new Unreachable(err.name === "AbortError" ? "no answer within " + TIMEOUT_MS / 1000 + " s" : String(err.message || err));
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try { body = await resp.json(); } catch (_) { /* not JSON */ }
  if (!resp.ok) {
    const e = new Error((body && body.error) || resp.status + " " + resp.statusText);
    e.status = resp.status;
    throw e;
  }
  return body;
}

// settle turns a promise into {ok, value} or {ok: false, error}.
function settle(p) {
  return p.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}

function unavailable(what, error) {
  return el("p", { class: "empty bad", "data-testid": "unavailable" }, what + " unavailable: " + error.message);
}

// ---- panels ----

function renderNode(info, agg, p2p) {
  if (info.ok) {
    setText("node-version", info.value.version || "—");
    const op = info.value.operator_address || "";
    const opEl = document.getElementById("node-operator");
    opEl.textContent = op || "no signing key";
    opEl.title = op;
  }
  let mode = "";
  if (agg.ok && agg.value.mode) mode = agg.value.mode;
  else if (p2p.ok) mode = p2p.value.enabled ? "operators" : "single-operator";
  const modeEl = document.getElementById("node-mode");
  modeEl.replaceChildren(mode ? badge(mode, mode === "operators" ? "info" : "") : "—");
  modeEl.dataset.mode = mode;
}

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

// fraction reads "2/3" as 2/3, NaN otherwise.
function fraction(s) {
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(String(s || ""));
  return m && Number(m[2]) > 0 ? Number(m[1]) / Number(m[2]) : NaN;
}

function quorumCell(q) {
  if (!q) return el("td", { class: "muted", "data-testid": "quorum" }, "—");
  // A manager with only the WAVS interface shows no total: its validate's
  // verdict is all there is to show beside the signed weight.
  if (!q.total_weight) {
    return el("td", { "data-testid": "quorum", title: q.verdict || "" },
      el("div", { class: "quorum-text" }, q.signed_weight + " signed ",
        el("span", { class: "muted" }, "(" + (q.verdict || "validate decides") + ")")));
  }
  const signed = Number(q.signed_weight), total = Number(q.total_weight);
  const ratio = total > 0 ? Math.min(1, signed / total) : 0;
  const need = fraction(q.threshold);
  const absolute = q.threshold_weight && q.threshold_weight !== "0" ? Number(q.threshold_weight) : 0;
  const met = total > 0 && signed / total >= need && signed >= absolute;
  const bar = el("div", { class: "bar" + (met ? " met" : ""), role: "progressbar",
    "aria-valuemin": 0, "aria-valuemax": q.total_weight, "aria-valuenow": q.signed_weight });
  // Through the CSSOM: the page's CSP allows no style attributes.
  const fill = el("div", { class: "fill" });
  fill.style.width = (ratio * 100).toFixed(1) + "%";
  bar.append(fill);
  if (need > 0 && need < 1) {
    const mark = el("div", { class: "mark", title: "threshold " + q.threshold });
    mark.style.left = (need * 100).toFixed(1) + "%";
    bar.append(mark);
  }
  const needs = [q.threshold, absolute ? "≥ " + q.threshold_weight : ""].filter(Boolean).join(", ");
  return el("td", { "data-testid": "quorum", title: q.verdict || "" },
    el("div", { class: "quorum-text" }, q.signed_weight + " / " + q.total_weight + " ", el("span", { class: "muted" }, "(needs " + needs + ")")),
    bar);
}

function renderEvents(svcID, results) {
  if (!results.ok) return unavailable("results", results.error);
  const list = (results.value && results.value.results) || [];
  if (list.length === 0) return el("p", { class: "empty", "data-testid": "events", "data-service-id": svcID }, "no events yet");
  const tbody = el("tbody");
  for (const r of list) {
    const q = r.quorum || null;
    const row = el("tr", {
      "data-testid": "event", "data-event-id": r.event_id, "data-status": r.status,
      "data-signers": (r.signers || []).length, "data-tx-hash": r.tx_hash || "",
      "data-signed-weight": q ? q.signed_weight : "", "data-total-weight": q ? q.total_weight : "",
      "data-threshold": q ? q.threshold : "",
    },
      el("td", { "data-testid": "event-id" }, mono(r.event_id, 8, 4)),
      el("td", { class: "muted" }, r.workflow_id || ""),
      el("td", { "data-testid": "event-status" }, badge(r.status || "?", statusKind(r.status)),
        r.error ? el("span", { class: "err-note", title: r.error }, " !") : null),
      el("td", { class: "num", "data-testid": "signers", title: (r.signers || []).join("\n") }, String((r.signers || []).length)),
      quorumCell(q),
      el("td", { "data-testid": "tx", "data-proof": r.proof || "" }, r.tx_hash ? mono(r.tx_hash, 8, 6)
        : el("span", { class: "muted", title: r.proof || "" }, r.status === "submitted" ? "held by the handler" : "—")),
      el("td", { class: "num" }, r.block_number ? String(r.block_number) : ""),
      el("td", { class: "muted", title: r.created_at || "" }, ago(r.created_at)),
    );
    tbody.append(row);
  }
  return el("table", { class: "events", "data-testid": "events", "data-service-id": svcID },
    el("thead", {}, el("tr", {},
      el("th", {}, "event"), el("th", {}, "workflow"), el("th", {}, "status"), el("th", { class: "num" }, "signers"),
      el("th", {}, "quorum"), el("th", {}, "tx"), el("th", { class: "num" }, "block"), el("th", {}, "signed"))),
    tbody);
}

function renderServices(services, results) {
  const box = document.getElementById("services");
  if (!services.ok) { box.replaceChildren(unavailable("services", services.error)); return; }
  const list = (services.value && services.value.services) || [];
  if (list.length === 0) { box.replaceChildren(el("p", { class: "empty" }, "no services registered")); return; }
  const cards = list.map((s) => {
    const head = el("div", { class: "svc-head" },
      el("h3", {}, s.name || "(unnamed)"),
      el("span", { class: "mono muted", title: s.id, "data-testid": "service-id" }, s.id),
      badge(s.status || "?", statusKind(s.status)));
    const facts = el("dl", { class: "kv" },
      el("dt", {}, "signing address"), el("dd", { class: "mono", "data-testid": "signing-address" }, s.signing_address || "—"),
      el("dt", {}, "topic"), el("dd", { class: "mono", "data-testid": "topic" }, s.topic || "—"),
      el("dt", {}, "workflows"), el("dd", { "data-testid": "workflows" }, ...(s.workflows || []).map((w) => el("span", { class: "chip" }, w))),
      s.last_error ? el("dt", {}, "last error") : null,
      s.last_error ? el("dd", { class: "bad" }, s.last_error) : null);
    return el("article", { class: "service", "data-testid": "service", "data-service-id": s.id, "data-status": s.status },
      head, facts, el("h4", {}, "Recent events"), renderEvents(s.id, results[s.id] || { ok: true, value: { results: [] } }));
  });
  box.replaceChildren(...cards);
}

function renderPlugins(info) {
  const box = document.getElementById("plugins");
  if (!info.ok) { box.replaceChildren(unavailable("plugins", info.error)); return; }
  const list = info.value.plugins || [];
  if (list.length === 0) { box.replaceChildren(el("p", { class: "empty" }, "no plugins loaded")); return; }
  const says = list.some((p) => p.message); // a column only when a plugin says something
  const tbody = el("tbody");
  for (const p of list) {
    tbody.append(el("tr", { "data-testid": "plugin", "data-name": p.name, "data-state": p.state, "data-healthy": p.healthy ? "true" : "false" },
      el("td", { class: "strong" }, p.name),
      el("td", { class: "muted" }, p.kind),
      el("td", { class: "mono" }, p.version || ""),
      el("td", {}, badge(p.state, statusKind(p.state))),
      el("td", {}, p.healthy ? badge("healthy", "ok") : badge("unhealthy", "bad")),
      el("td", { class: "num" }, String(p.restarts || 0)),
      el("td", { class: "num mono" }, p.pid ? String(p.pid) : "—"),
      says ? el("td", { class: "muted note", title: p.message || "" }, p.message || "") : null));
  }
  box.replaceChildren(el("table", { class: "plugins" },
    el("thead", {}, el("tr", {}, el("th", {}, "name"), el("th", {}, "kind"), el("th", {}, "version"), el("th", {}, "state"),
      el("th", {}, "health"), el("th", { class: "num" }, "restarts"), el("th", { class: "num" }, "pid"), says ? el("th", {}, "message") : null)),
    tbody));
}

function renderP2P(p2p) {
  const box = document.getElementById("p2p");
  if (!p2p.ok) { box.replaceChildren(unavailable("transport", p2p.error)); return; }
  const st = p2p.value;
  const peers = st.peer_ids || [];
  const topics = st.subscribed_topics || [];
  const counts = st.topic_peer_counts || {};
  const facts = el("dl", { class: "kv" },
    el("dt", {}, "enabled"), el("dd", { "data-testid": "p2p-enabled" }, st.enabled ? badge("yes", "ok") : badge("no")),
    el("dt", {}, "local peer id"), el("dd", { class: "mono wrap", "data-testid": "peer-id" }, st.local_peer_id || "—"),
    el("dt", {}, "connected peers"),
    el("dd", { "data-testid": "peers", "data-count": st.connected_peers ?? peers.length },
      el("span", { class: "big" }, String(st.connected_peers ?? peers.length)),
      ...peers.map((id) => el("div", { class: "mono muted wrap", "data-testid": "peer" }, id))));
  const topicRows = topics.map((t) => el("tr", { "data-testid": "topic", "data-topic": t, "data-peers": counts[t] ?? 0 },
    el("td", { class: "mono wrap" }, t), el("td", { class: "num" }, String(counts[t] ?? 0))));
  const table = topics.length
    ? el("table", { "data-testid": "topics" }, el("thead", {}, el("tr", {}, el("th", {}, "subscribed topic"), el("th", { class: "num" }, "peers"))), el("tbody", {}, ...topicRows))
    : el("p", { class: "empty" }, "no topics subscribed");
  box.replaceChildren(facts, table);
}

// The counters of GET /aggregator, in two groups; "rejected" sums the
// reasons listed under it.
const COUNTERS = [
  ["signatures", [
    ["signatures_published", "published"],
    ["signatures_received", "received"],
    ["signatures_accepted", "accepted"],
    ["signatures_rejected", "rejected"],
    ["signatures_duplicate", "duplicate"],
    ["signatures_late", "late"],
    ["signatures_publish_failed", "publish failed"],
  ]],
  ["results", [
    ["quorums_reached", "quorums reached"],
    ["submitted", "submitted"],
    ["already_handled", "already handled"],
    ["landed_elsewhere", "landed by a peer"],
    ["dropped", "dropped"],
    ["pending", "pending"],
    ["landings_watched", "landings not final"],
    ["landings_final", "landings final"],
    ["landings_undone", "undone by a reorg"],
    ["triggers_reorged", "trigger reorged away"],
  ]],
];

function tileKind(key, n) {
  if (n === 0) return "";
  if (key === "dropped" || key === "signatures_publish_failed") return " bad";
  if (key === "signatures_rejected" || key === "landings_undone" || key === "triggers_reorged") return " warn";
  return "";
}

function renderAggregator(agg) {
  const box = document.getElementById("aggregator");
  if (!agg.ok) { box.replaceChildren(unavailable("aggregator", agg.error)); return; }
  const st = agg.value;
  const rejected = Object.entries(st.signatures_rejected || {}).sort();
  const value = (key) => key === "signatures_rejected" ? rejected.reduce((n, [, v]) => n + v, 0) : Number(st[key] ?? 0);
  const groups = COUNTERS.map(([title, keys]) => el("div", { class: "group" },
    el("h4", {}, title),
    el("div", { class: "tiles" }, ...keys.map(([key, label]) =>
      el("div", { class: "tile" + tileKind(key, value(key)), "data-counter": key },
        el("div", { class: "n" }, String(value(key))), el("div", { class: "l" }, label))))));
  const reasons = rejected.length
    ? el("ul", { class: "reasons", "data-testid": "rejected" }, ...rejected.map(([k, v]) =>
      el("li", { "data-reason": k }, el("span", {}, "rejected: " + k.replace(/_/g, " ")), el("span", { class: "num" }, String(v)))))
    : el("p", { class: "muted small", "data-testid": "rejected" }, "no signature rejected");
  const parts = [...groups, reasons];
  // What waits, and for what: nothing is given up without the operator.
  const pending = st.pending_events || [];
  if (pending.length) {
    parts.push(el("h4", {}, "pending"), el("ul", { class: "reasons", "data-testid": "pending" }, ...pending.map((p) =>
      el("li", { "data-event-id": p.event_id, title: p.waiting || "" },
        el("span", {}, short(p.event_id, 8, 4) + " — " + (p.signed_weight || "0") + (p.total_weight ? " of " + p.total_weight : "") + " signed"),
        el("span", { class: "muted" }, String(p.verdict || p.waiting || "").slice(0, 80))))));
  }
  const evidence = st.evidence || [];
  if (evidence.length) {
    parts.push(el("p", { class: "bad small", "data-testid": "evidence" }, evidence.length + " equivocation(s) recorded, latest by " + short(evidence[0].signer, 8, 4)));
  }
  box.replaceChildren(...parts);
}

// ---- the loop ----

let lastGood = null;

async function refresh() {
  const [info, agg, p2p, services] = await Promise.all(
    ["info", "aggregator", "p2p/status", "services"].map((p) => settle(get(p))));
  const results = {};
  if (services.ok) {
    const list = (services.value && services.value.services) || [];
    await Promise.all(list.map(async (s) => {
      results[s.id] = await settle(get("services/" + encodeURIComponent(s.id) + "/results?limit=" + RESULTS_LIMIT));
    }));
  }
  const all = [info, agg, p2p, services, ...Object.values(results)];
  const down = all.find((r) => !r.ok && r.error instanceof Unreachable);
  const live = document.getElementById("live");
  const banner = document.getElementById("error");
  if (down) {
    // Keep the last figures on screen, dimmed, and say so.
    document.body.classList.add("stale");
    live.dataset.state = "down";
    setText("updated", lastGood ? "last updated " + clock(lastGood) : "never updated");
    banner.textContent = "The node is not answering (" + down.error.message + ")" +
      (lastGood ? "; the figures below are from " + clock(lastGood) + "." : ".");
    banner.hidden = false;
    return;
  }
  lastGood = new Date();
  document.body.classList.remove("stale");
  banner.hidden = true;
  banner.textContent = "";
  live.dataset.state = all.every((r) => r.ok) ? "ok" : "partial";
  setText("updated", "last updated " + clock(lastGood));
  live.title = lastGood.toISOString();
  renderNode(info, agg, p2p);
  renderServices(services, results);
  renderPlugins(info);
  renderP2P(p2p);
  renderAggregator(agg);
}

async function loop() {
  try {
    await refresh();
  } catch (err) {
    // A bug here must not stop the polling; show it.
    const banner = document.getElementById("error");
    banner.textContent = "The page failed to update: " + (err && err.message ? err.message : String(err));
    banner.hidden = false;
    console.error(err);
  }
  setTimeout(loop, POLL_MS);
}

loop();
