// csrf.mjs opens an attacker's page in headless Chromium (Debian's,
// through playwright-core), for e2e/api_security_test.go. The page, served
// from another 127.0.0.1 port than the node's, tries what any web page
// can: forms and fetches that register a service and restart a plugin on
// the node. The script waits until the page says it is done, then asks
// the node by a name the node does not have (rebind.test, resolved to
// 127.0.0.1 by Chromium as DNS rebinding would), and prints JSON:
// {"attempts": {...what each attempt saw...}, "rebind_status": N}.
//
//   node csrf.mjs --tools DIR --chromium PATH --profile DIR --node-port N PAGE-URL
//
// Only 127.0.0.1 and rebind.test are reachable from the browser.
import { createRequire } from "node:module";
import path from "node:path";

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--tools": o.tools = argv[++i]; break;
      case "--chromium": o.chromium = argv[++i]; break;
      case "--profile": o.profile = argv[++i]; break;
      case "--node-port": o.nodePort = argv[++i]; break;
      default: o.page = a;
    }
  }
  if (!o.tools || !o.chromium || !o.profile || !o.nodePort || !o.page) {
    throw new Error("usage: csrf.mjs --tools DIR --chromium PATH --profile DIR --node-port N PAGE-URL");
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(path.resolve(o.tools), "package.json"));
  const { chromium } = require("playwright-core");
  const context = await chromium.launchPersistentContext(o.profile, {
    executablePath: o.chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
    timeout: 60000,
  });
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "http:" && (u.hostname === "127.0.0.1" || u.hostname === "rebind.test")) return route.continue();
    return route.abort();
  });
  const out = { attempts: {}, rebind_status: 0 };
  try {
    const page = context.pages()[0] || await context.newPage();
    await page.goto(o.page);
    await page.waitForFunction(() => window.__done, null, { timeout: 30000 });
    out.attempts = await page.evaluate(() => window.__done);
    const resp = await page.goto(`http://rebind.test:${o.nodePort}/services`);
    out.rebind_status = resp ? resp.status() : -1;
    out.rebind_body = resp ? (await resp.text()).slice(0, 300) : "";
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => { console.error(e); process.exit(1); });
