// square-js: a WAVS operator component (wavs:operator/wavs-world@2.7.0)
// built by componentize-js. It squares the number a trigger carries and
// answers abi.encode(uint64 triggerId, bytes square), the DataWithId
// payload WAVS's example handler decodes. ../README.md has the contract;
// square-go computes the same bytes.

import { configVar, log, getEventId, getService } from 'host';
import { open } from 'wasi:keyvalue/store@0.2.0-draft2';

const U256_MAX = (1n << 256n) - 1n;

export function run(action) {
  const format = configVar('payload') ?? 'data_with_id';
  if (format !== 'data_with_id' && format !== 'uint256') {
    throw `square-js: config payload = "${format}": want "data_with_id" or "uint256"`;
  }

  const { triggerId, n } = readTrigger(action.data);
  const square = n * n;
  if (square > U256_MAX) {
    throw 'square-js: the square does not fit in a uint256';
  }
  const squareWord = word(square);
  const payload = format === 'uint256' ? squareWord : dataWithId(triggerId, squareWord);

  // The salt makes the event id depend on the trigger id alone, so a
  // replayed log with the same id is the same event.
  const salt = utf8(`square:${triggerId}`);
  const eventId = getEventId(salt);
  const who = getService();
  log({ tag: 'info' },
    `square-js: service ${who.service.name} workflow ${who.workflowId} trigger ${triggerId}: ${n}^2 = ${square}, event ${hex(eventId)}`);

  // Remember the last square; the payload never depends on the store.
  const bucket = open('square');
  bucket.set(`last/${action.config.workflowId}`, squareWord);

  return [{ payload, ordering: undefined, eventIdSalt: salt }];
}

// readTrigger finds the trigger id and the number for each kind of
// trigger the component accepts.
function readTrigger(data) {
  switch (data.tag) {
    case 'evm-contract-event': {
      const { id, inner } = decodeNewTrigger(data.val.log.data.data);
      return { triggerId: id, n: number(inner) };
    }
    case 'block-interval':
      return { triggerId: data.val.blockHeight, n: data.val.blockHeight };
    case 'cron': {
      const sec = data.val.triggerTime.nanos / 1000000000n;
      return { triggerId: sec, n: sec };
    }
    case 'raw':
      return { triggerId: 0n, n: number(data.val) };
    default:
      throw `square-js: trigger ${data.tag} is not supported`;
  }
}

// number reads a 32-byte big-endian uint256, or else decimal ASCII.
function number(bytes) {
  if (bytes.length === 32) {
    return toBig(bytes);
  }
  const text = new TextDecoder().decode(bytes).trim();
  if (!/^[0-9]+$/.test(text)) {
    throw `square-js: trigger data "${text}" is not a decimal number or a 32-byte uint256`;
  }
  const n = BigInt(text);
  if (n > U256_MAX) {
    throw 'square-js: the number does not fit in a uint256';
  }
  return n;
}

// decodeNewTrigger reads the data of SimpleTrigger's NewTrigger(bytes):
// abi.encode(bytes) wrapping abi.encode((uint64 id, address creator,
// bytes data)).
function decodeNewTrigger(logData) {
  const outer = abiBytes(logData, 0);
  const start = Number(wordAt(outer, 0));
  if (start > outer.length) {
    throw 'square-js: NewTrigger data: bad tuple offset';
  }
  const tuple = outer.subarray(start);
  const id = wordAt(tuple, 0);
  return { id, inner: abiBytes(tuple, 64) };
}

// abiBytes reads the dynamic bytes whose offset sits at buf[head:].
function abiBytes(buf, head) {
  const off = Number(wordAt(buf, head));
  const len = Number(wordAt(buf, off));
  if (off + 32 + len > buf.length) {
    throw 'square-js: ABI bytes run past the end of the data';
  }
  return buf.subarray(off + 32, off + 32 + len);
}

// wordAt reads the 32-byte word at off, which must fit in 64 bits.
function wordAt(buf, off) {
  off = Number(off);
  if (off + 32 > buf.length) {
    throw 'square-js: ABI data is too short';
  }
  const v = toBig(buf.subarray(off, off + 32));
  if (v >= 1n << 64n) {
    throw 'square-js: ABI word does not fit in 64 bits';
  }
  return v;
}

function dataWithId(id, data) {
  const padded = Math.ceil(data.length / 32) * 32;
  const out = new Uint8Array(128 + padded);
  out.set(word(0x20n), 0); // the tuple's offset
  out.set(word(id), 32); // triggerId
  out.set(word(0x40n), 64); // data's offset inside the tuple
  out.set(word(BigInt(data.length)), 96);
  out.set(data, 128);
  return out;
}

function word(v) {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function toBig(bytes) {
  let v = 0n;
  for (const b of bytes) {
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

function utf8(s) {
  return new TextEncoder().encode(s);
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
