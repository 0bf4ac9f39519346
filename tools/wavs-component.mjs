// Builds and inspects WAVS test components with the pinned jco and
// componentize-js (see examples/components/wavs/README.md).
//
//   node tools/wavs-component.mjs js   SOURCE.js WITDIR WORLD OUT.wasm [http]
//   node tools/wavs-component.mjs wrap CORE.wasm WITDIR WORLD OUT.wasm
//                                      (CORE.wat: assembled with jco's parse)
//   node tools/wavs-component.mjs wit  COMPONENT.wasm
//   node tools/wavs-component.mjs run  COMPONENT.wasm SAMPLES.json
//
// `run` executes a component under jco's JS host (transpiled, with a
// fake `host` and key-value store) on every sample trigger in
// SAMPLES.json and fails unless each payload and salt is byte-identical
// to the one the file expects.
//
// The tools are WebAssembly themselves and reach files through
// preview2-shim, whose 0.26 line opens no directory by default: the
// working directory (the repo root, under make) is opened explicitly,
// so every path must lie under it. Without this, componentize and
// `jco embed` fail with "No such file or directory (os error 44)".
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { componentize } from '@bytecodealliance/componentize-js';
import * as cli from '@bytecodealliance/preview2-shim/cli';
import * as clocks from '@bytecodealliance/preview2-shim/clocks';
import * as filesystem from '@bytecodealliance/preview2-shim/filesystem';
import * as io from '@bytecodealliance/preview2-shim/io';
import * as random from '@bytecodealliance/preview2-shim/random';
import * as http from '@bytecodealliance/preview2-shim/http';
import {
  componentEmbed,
  componentNew,
  componentWit,
  parse,
  preview1AdapterReactorPath,
  transpile,
} from '@bytecodealliance/jco';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';

const root = process.cwd();
_setPreopens({ [root]: root });

const [cmd, ...args] = process.argv.slice(2);
const usage = 'usage: wavs-component.mjs js|wrap|wit ...';

// Write through a temporary name so make never sees half a file.
async function emit(out, bytes) {
  await writeFile(out + '.tmp', bytes);
  await rename(out + '.tmp', out);
}


const shims = { cli, clocks, filesystem, http, io, random };
const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

// A fake node: config vars from the sample, a fixed service, an event id
// that is the first 20 bytes of the salt padded with zeros (the real one
// is RIPEMD-160 over service, workflow and salt; the payload never
// depends on it), and an in-memory bucket.
function fakeHost(file, sample, logs) {
  const config = { ...file.config, ...(sample.config ?? {}) };
  const kv = new Map();
  class Bucket {
    get(key) { return kv.get(key); }
    set(key, value) { kv.set(key, value); }
    delete(key) { kv.delete(key); }
    exists(key) { return kv.has(key); }
    listKeys() { return { keys: [...kv.keys()], cursor: undefined }; }
  }
  const imports = {
    host: {
      configVar: (key) => config[key],
      log: (level, message) => logs.push(`${level.tag}: ${message}`),
      getService: () => ({
        service: {
          name: file.service.name,
          workflows: [],
          status: { tag: 'active' },
          manager: { tag: 'evm', val: { chain: file.service.chain, address: { rawBytes: bytes(file.service.manager) } } },
        },
        workflowId: file.service.workflowId,
      }),
      getEvmChainConfig: () => undefined,
      getCosmosChainConfig: () => undefined,
      getWorkflow: () => { throw new Error('get-workflow is not in the test host'); },
      getEventId: (salt) => {
        const id = new Uint8Array(20);
        id.set((salt ?? new Uint8Array()).subarray(0, 20));
        return id;
      },
    },
    'wasi:keyvalue/store': { Bucket, open: () => new Bucket() },
    'wasi:keyvalue/atomics': {
      Cas: class {},
      increment: () => { throw { tag: 'other', val: 'not in the test host' }; },
      swap: () => { throw { tag: 'store-error', val: { tag: 'other', val: 'not in the test host' } }; },
    },
    'wasi:keyvalue/batch': {
      getMany: () => [],
      setMany: () => {},
      deleteMany: () => {},
    },
  };
  return { imports, kv };
}

// triggerData builds the trigger-data value a sample describes.
function triggerData(t) {
  const [tag, v] = Object.entries(t)[0];
  switch (tag) {
    case 'evm-contract-event':
      return {
        tag,
        val: {
          chain: v.chain,
          log: {
            address: { rawBytes: bytes(v.address) },
            data: { topics: v.topics.map(bytes), data: bytes(v.data) },
            txHash: bytes(v.txHash),
            blockNumber: BigInt(v.blockNumber),
            logIndex: BigInt(v.logIndex),
            blockHash: bytes(v.blockHash),
            blockTimestamp: v.blockTimestamp === undefined ? undefined : BigInt(v.blockTimestamp),
            txIndex: BigInt(v.txIndex),
          },
        },
      };
    case 'block-interval':
      return { tag, val: { chain: v.chain, blockHeight: BigInt(v.blockHeight) } };
    case 'cron':
      return { tag, val: { triggerTime: { nanos: BigInt(v.nanos) } } };
    case 'raw':
      return { tag, val: bytes(v) };
    default:
      throw new Error(`sample trigger ${tag} is not supported by the harness`);
  }
}

async function runSamples(componentPath, file) {
  const { files } = await transpile(await readFile(componentPath), {
    name: 'component',
    instantiation: { tag: 'async' },
  });
  const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp(resolve(root, 'bin', '.wavs-run-')));
  try {
    for (const [name, data] of Object.entries(files)) {
      const out = resolve(dir, name);
      await import('node:fs/promises').then((fs) => fs.mkdir(resolve(out, '..'), { recursive: true }));
      await writeFile(out, data);
    }
    const { instantiate } = await import(resolve(dir, 'component.js'));
    let failed = 0;
    for (const sample of file.samples) {
      const logs = [];
      const { imports, kv } = fakeHost(file, sample, logs);
      // WASI comes from preview2-shim; keys are versionless here.
      const all = new Proxy(imports, {
        get(target, key) {
          if (key in target) return target[key];
          const m = /^wasi:([a-z]+)\/([a-z-]+)$/.exec(key);
          return m ? shims[m[1]]?.[camel(m[2])] : undefined;
        },
      });
      // A Go (or other reactor) main module exports _initialize, which
      // neither wit-component nor jco wires up: the runner must call it
      // once every core instance exists, before the first export call.
      const cores = [];
      const instance = await instantiate(
        (name) => readFile(resolve(dir, name)).then((b) => WebAssembly.compile(b)),
        all,
        async (module, imps) => {
          const inst = await WebAssembly.instantiate(module, imps);
          cores.push(inst);
          return inst;
        },
      );
      for (const core of cores) {
        if (typeof core.exports._initialize === 'function' && core.exports.cabi_realloc) {
          core.exports._initialize();
        }
      }
      const action = {
        config: { serviceId: file.service.id, workflowId: file.service.workflowId, trigger: { tag: 'manual' } },
        data: triggerData(sample.trigger),
      };
      let got;
      try {
        const responses = instance.run(action);
        got = responses.map((r) => ({ payload: hex(r.payload), salt: r.eventIdSalt && hex(r.eventIdSalt) }));
      } catch (e) {
        got = { error: String(e.payload ?? e) };
      }
      const want = sample.error !== undefined ? { error: sample.error } : [{ payload: sample.payload, salt: sample.salt }];
      const ok = JSON.stringify(got) === JSON.stringify(want);
      failed += ok ? 0 : 1;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${sample.name}`);
      for (const l of logs) console.log(`       log ${l}`);
      if (kv.size) console.log(`       kv ${[...kv.keys()].join(' ')}`);
      if (!ok) console.log(`       got  ${JSON.stringify(got)}\n       want ${JSON.stringify(want)}`);
    }
    if (failed) {
      console.error(`${failed} of ${file.samples.length} samples failed`);
      process.exit(1);
    }
  } finally {
    await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
  }
}

switch (cmd) {
  case 'js': {
    const [src, wit, world, out] = args.slice(0, 4).map((a, i) => (i === 2 ? a : resolve(a)));
    // fetch() only when asked (a fifth argument "http"): the component
    // then imports wasi:http/outgoing-handler.
    const http = args[4] === 'http';
    const { component } = await componentize({
      sourcePath: src,
      witPath: wit,
      worldName: world,
      disableFeatures: http ? [] : ['http'],
    });
    await emit(out, component);
    break;
  }
  case 'wrap': {
    const [core, wit, world, out] = args.map((a, i) => (i === 2 ? a : resolve(a)));
    const binary = core.endsWith('.wat') ? await parse(await readFile(core, 'utf8')) : await readFile(core);
    const embedded = await componentEmbed({
      binary,
      witPath: wit,
      world,
      stringEncoding: 'utf8',
    });
    // The adapter only for a module importing WASI preview 1: given, its
    // WASI 0.2.x WIT is merged in and lifts the component's own wasi
    // imports to the adapter's 0.2 minor version.
    const adapters = Buffer.from(binary).includes('wasi_snapshot_preview1')
      ? [['wasi_snapshot_preview1', await readFile(preview1AdapterReactorPath())]]
      : [];
    await emit(out, await componentNew(embedded, adapters));
    break;
  }
  case 'wit':
    process.stdout.write(await componentWit(await readFile(resolve(args[0]))));
    break;
  case 'run':
    await runSamples(resolve(args[0]), JSON.parse(await readFile(resolve(args[1]), 'utf8')));
    break;
  default:
    console.error(usage);
    process.exit(2);
}
