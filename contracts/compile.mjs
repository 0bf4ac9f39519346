// Compiles every contracts/src/*.sol with the pinned solc-js (tools/package-lock.json)
// into contracts/artifacts/<Name>.abi and <Name>.bin, for the contract named like its
// file (interfaces and helpers beside it are compiled but not written out).
//
//   node contracts/compile.mjs <src dir> <artifacts dir> <evm version>
//
// The standard-JSON interface is used, not solcjs's command line, because only it
// takes an EVM version and gives the outputs plain names. Files are written only
// when their content changes, stale artifacts are removed, and nothing carries a
// path or a time, so the output is the same on every machine.
import { createRequire } from 'node:module'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'tools', 'package.json'))
const solc = require('solc')

const [srcDir, outDir, evmVersion] = process.argv.slice(2)
if (!srcDir || !outDir || !evmVersion) {
  console.error('usage: node compile.mjs <src dir> <artifacts dir> <evm version>')
  process.exit(2)
}

const files = fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()
if (files.length === 0) {
  console.error(`compile: no .sol files in ${srcDir}`)
  process.exit(1)
}

const sources = {}
for (const f of files) sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') }

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
}

// Imports resolve inside the source folder only.
function findImports(importPath) {
  const file = path.join(srcDir, importPath)
  if (!path.resolve(file).startsWith(path.resolve(srcDir) + path.sep)) {
    return { error: `import outside ${srcDir}: ${importPath}` }
  }
  try {
    return { contents: fs.readFileSync(file, 'utf8') }
  } catch (err) {
    return { error: `import ${importPath}: ${err.message}` }
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }))
let failed = false
for (const e of output.errors ?? []) {
  console.error(e.formattedMessage ?? e.message)
  if (e.severity === 'error') failed = true
}
if (failed) process.exit(1)

fs.mkdirSync(outDir, { recursive: true })
const written = new Set()
function write(name, content) {
  const file = path.join(outDir, name)
  written.add(name)
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return
  fs.writeFileSync(file, content)
  console.log(`compile: wrote ${file}`)
}

for (const f of files) {
  const name = path.basename(f, '.sol')
  const contract = output.contracts?.[f]?.[name]
  if (!contract) {
    console.error(`compile: ${f} declares no contract named ${name}`)
    process.exit(1)
  }
  const bin = contract.evm.bytecode.object
  if (!bin) {
    console.error(`compile: ${name} has no bytecode (abstract or an interface?)`)
    process.exit(1)
  }
  // No trailing newline: abigen embeds both files verbatim.
  write(`${name}.abi`, JSON.stringify(contract.abi))
  write(`${name}.bin`, bin)
}

for (const f of fs.readdirSync(outDir)) {
  if ((f.endsWith('.abi') || f.endsWith('.bin')) && !written.has(f)) {
    fs.rmSync(path.join(outDir, f))
    console.log(`compile: removed stale ${path.join(outDir, f)}`)
  }
}
console.log(`compile: ${files.length} contract(s), solc ${solc.version()}, evm ${evmVersion}`)
