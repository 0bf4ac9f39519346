// check.mjs drives headless Chromium (Debian's, through playwright-core)
// over the status pages of running nodes, for e2e/browser_test.go.
//
//   node check.mjs --tools DIR --chromium PATH --profile DIR --shot FILE \
//     --want-events N --want-peers N URL [URL…]
//
// The first URL is the main page: the script waits there until the page
// shows a service with N submitted events with a quorum (one of them with
// a transaction hash) and the peers, then reads every other page, then
// cuts the main page off the node and waits for its error state. It
// prints what the pages show as JSON on stdout and saves screenshots of
// the main page (FILE, and FILE with -error before .png).
// Only 127.0.0.1 is reachable from the browser: every other request is
// aborted.
import { createRequire } from "node:module";
import path from "node:path";

function parseArgs(argv) {
  const o = { urls: [], wantEvents: 1, wantPeers: 0, timeout: 90000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case "--tools": o.tools = next(); break;
      case "--chromium": o.chromium = next(); break;
      case "--profile": o.profile = next(); break;
      case "--shot": o.shot = next(); break;
      case "--want-events": o.wantEvents = Number(next()); break;
      case "--want-peers": o.wantPeers = Number(next()); break;
      case "--timeout-ms": o.timeout = Number(next()); break;
      default: o.urls.push(a);
    }
  }
  if (!o.tools || !o.chromium || !o.profile || !o.shot || o.urls.length === 0) {
    throw new Error("usage: check.mjs --tools DIR --chromium PATH --profile DIR --shot FILE [--want-events N] [--want-peers N] URL…");
  }
  return o;
}

// read collects what a status page shows, from its text and data attributes.
function read() {
  const q = (sel, root = document) => root.querySelector(sel);
  const qa = (sel, root = document) => [...root.querySelectorAll(sel)];
  const text = (e) => (e ? e.textContent.trim().replace(/\s+/g, " ") : "");
  const banner = q('[data-testid="error"]');
  return {
    title: document.title,
    live: q('[data-testid="live"]')?.dataset.state || "",
    updated: text(q('[data-testid="updated"]')),
    error: banner && !banner.hidden ? text(banner) : "",
    node: {
      version: text(q('[data-testid="node-version"]')),
      operator: text(q('[data-testid="node-operator"]')),
      mode: text(q('[data-testid="node-mode"]')),
    },
    services: qa('[data-testid="service"]').map((s) => ({
      id: s.dataset.serviceId,
      status: s.dataset.status,
      shown_id: text(q('[data-testid="service-id"]', s)),
      signing_address: text(q('[data-testid="signing-address"]', s)),
      topic: text(q('[data-testid="topic"]', s)),
      workflows: qa('[data-testid="workflows"] .chip', s).map(text),
      events: qa('[data-testid="event"]', s).map((r) => ({
        event_id: r.dataset.eventId,
        status: r.dataset.status,
        signers: Number(r.dataset.signers),
        signed_weight: r.dataset.signedWeight,
        total_weight: r.dataset.totalWeight,
        threshold: r.dataset.threshold,
        tx_hash: r.dataset.txHash,
        shown: {
          event_id: text(q('[data-testid="event-id"]', r)),
          status: text(q('[data-testid="event-status"]', r)),
          signers: text(q('[data-testid="signers"]', r)),
          quorum: text(q('[data-testid="quorum"] .quorum-text', r)),
          tx: text(q('[data-testid="tx"]', r)),
          tx_title: q('[data-testid="tx"] [title]', r)?.getAttribute("title") || "",
        },
      })),
    })),
    plugins: qa('[data-testid="plugin"]').map((p) => ({
      name: p.dataset.name, state: p.dataset.state, healthy: p.dataset.healthy === "true", shown: text(p),
    })),
    p2p: {
      enabled: text(q('[data-testid="p2p-enabled"]')),
      peer_id: text(q('[data-testid="peer-id"]')),
      peers: Number(q('[data-testid="peers"]')?.dataset.count ?? -1),
      peer_ids: qa('[data-testid="peer"]').map(text),
      topics: Object.fromEntries(qa('[data-testid="topic"]').map((t) => [t.dataset.topic, Number(t.dataset.peers)])),
    },
    aggregator: Object.fromEntries(qa('[data-testid="aggregator"] [data-counter]').map((t) => [t.dataset.counter, Number(text(t.querySelector(".n")))])),
    rejected: Object.fromEntries(qa('[data-testid="rejected"] [data-reason]').map((li) => [li.dataset.reason, Number(text(li.querySelector(".num")))])),
  };
}

// ready tells whether a page shows what the test waits for.
function ready([wantEvents, wantPeers, needTx]) {
  const rows = [...document.querySelectorAll('[data-testid="service"] [data-testid="event"]')];
  const done = rows.filter((r) => r.dataset.status === "submitted" && /\/\s*\d+/.test(r.querySelector('[data-testid="quorum"]')?.textContent || ""));
  const peers = Number(document.querySelector('[data-testid="peers"]')?.dataset.count ?? -1);
  return done.length >= wantEvents && (!needTx || done.some((r) => r.dataset.txHash)) && peers >= wantPeers;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(path.resolve(o.tools), "package.json"));
  const { chromium } = require("playwright-core");
  const context = await chromium.launchPersistentContext(o.profile, {
    executablePath: o.chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
    timeout: 60000,
  });
  const blocked = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === "http:" && u.hostname === "127.0.0.1") || u.protocol === "data:") return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  const out = { pages: [], blocked, page_errors: [], console_errors: [] };
  let cutOff = false; // the failed fetches of the error state are not errors
  try {
    for (const [i, url] of o.urls.entries()) {
      const page = i === 0 ? (context.pages()[0] || await context.newPage()) : await context.newPage();
      page.on("pageerror", (e) => out.page_errors.push(url + ": " + e.message));
      page.on("console", (m) => { if (m.type() === "error" && !cutOff) out.console_errors.push(url + ": " + m.text()); });
      await page.goto(url, { waitUntil: "load", timeout: 30000 });
      // The main page must show a transaction this node landed; the
      // others each show the events too, landed by whichever operator.
      await page.waitForFunction(ready, [o.wantEvents, o.wantPeers, i === 0], { timeout: o.timeout, polling: 250 });
      const shown = await page.evaluate(read);
      out.pages.push({ url, ...shown });
      if (i === 0) {
        await page.screenshot({ path: o.shot, fullPage: true });
        out.screenshot = o.shot;
      }
    }

    // The error state: the main page's API calls now fail as if the node
    // stopped answering.
    const main = context.pages()[0];
    cutOff = true;
    await main.route("**/*", (route) => route.abort("connectionrefused"));
    await main.waitForFunction(() => {
      const b = document.querySelector('[data-testid="error"]');
      return b && !b.hidden && document.querySelector('[data-testid="live"]').dataset.state === "down";
    }, null, { timeout: 20000, polling: 250 });
    out.error_state = await main.evaluate(read);
    const errShot = o.shot.replace(/\.png$/, "") + "-error.png";
    await main.screenshot({ path: errShot, fullPage: false });
    out.error_screenshot = errShot;
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
