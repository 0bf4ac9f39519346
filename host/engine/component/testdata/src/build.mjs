// Builds the probe test components (see ../../README or the package tests):
//   node build.mjs go <core.wasm> <out.wasm>   wrap a Go c-shared module
//   node build.mjs wat <core.wat> <out.wasm>   wrap a hand-written core module
//   node build.mjs js <out.wasm>               componentize probe.js
// Run from a directory whose node_modules holds @bytecodealliance/jco and
// @bytecodealliance/componentize-js (NODE_PATH is not used by ESM imports).
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.cwd(), "package.json"));
const jcoEntry = require.resolve("@bytecodealliance/jco");
const { componentEmbed, componentNew, parse, preview1AdapterReactorPath } = await import(jcoEntry);
const wit = await readFile(join(here, "probe.wit"), "utf8");

const [kind, ...args] = process.argv.slice(2);
if (kind === "go" || kind === "wat") {
  const [core, out] = args;
  const binary = kind === "wat" ? await parse(await readFile(core, "utf8")) : await readFile(core);
  const embedded = await componentEmbed({
    binary,
    witSource: wit,
    world: "probe",
    stringEncoding: "utf8",
  });
  const adapter = await readFile(preview1AdapterReactorPath());
  const component = await componentNew(embedded, [["wasi_snapshot_preview1", adapter]]);
  await writeFile(out, component);
} else if (kind === "js") {
  const [out] = args;
  const cjs = join(process.cwd(), "node_modules/@bytecodealliance/componentize-js/src/componentize.js");
  const { componentize } = await import(cjs);
  const { component } = await componentize({
    sourcePath: join(here, "probe.js"),
    witPath: join(here, "probe.wit"),
    worldName: "probe",
  });
  await writeFile(out, component);
} else {
  console.error("usage: node build.mjs go <core.wasm> <out.wasm> | js <out.wasm>");
  process.exit(2);
}
