// aggregator-js: a WAVS aggregator component (wavs:aggregator/aggregator-
// world@2.7.0) built by componentize-js, behaving like WAVS's usual
// aggregator: its config maps chain keys to the service handler on that
// chain ("evm:31337" = "0x…"), and each operator response becomes one
// submit action per such entry. With the config var timer_delay_secs it
// first asks for a timer of that many seconds and submits from
// handle-timer-callback. handle-submit-callback logs the outcome.
//
// Test hooks (config vars): fail = "process" | "timer" | "callback" makes
// that export return an error; gas_price = decimal wei sets gas-price.

import { configVar, getWorkflow, log } from 'host';

function submissions() {
  const wf = getWorkflow().workflow;
  if (wf.submit.tag !== 'aggregator') {
    throw 'aggregator-js: the workflow does not submit through an aggregator';
  }
  const gas = configVar('gas_price');
  const out = [];
  for (const [key, value] of wf.submit.val.component.config) {
    if (!/^evm:[0-9]+$/.test(key)) {
      continue;
    }
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
      throw `aggregator-js: config ${key} = "${value}": want a 20-byte hex address`;
    }
    const action = { chain: key, address: { rawBytes: hexBytes(value) }, gasPrice: undefined };
    if (gas) {
      const n = BigInt(gas);
      action.gasPrice = { value: [n & ((1n << 64n) - 1n), n >> 64n] };
    }
    out.push({ tag: 'submit', val: { tag: 'evm', val: action } });
  }
  if (out.length === 0) {
    throw 'aggregator-js: no chain key in the config names a handler';
  }
  return out;
}

function failIf(where) {
  if (configVar('fail') === where) {
    throw `aggregator-js: failing in ${where} as configured`;
  }
}

export function processInput(input) {
  failIf('process');
  const delay = configVar('timer_delay_secs');
  log({ tag: 'info' }, `aggregator-js: input of ${input.operatorResponse.payload.length} bytes for workflow ${input.triggerAction.config.workflowId}`);
  if (delay) {
    return [{ tag: 'timer', val: { delay: { secs: BigInt(delay) } } }];
  }
  return submissions();
}

export function handleTimerCallback(input) {
  failIf('timer');
  log({ tag: 'info' }, 'aggregator-js: timer fired');
  return submissions();
}

export function handleSubmitCallback(input, txResult) {
  failIf('callback');
  if (txResult.tag === 'ok') {
    const h = txResult.val;
    log({ tag: 'info' }, `aggregator-js: submitted ${h.tag === 'evm' ? hex(h.val) : h.val}`);
  } else {
    log({ tag: 'warn' }, `aggregator-js: submission failed: ${txResult.val}`);
  }
}

function hexBytes(s) {
  const b = new Uint8Array((s.length - 2) / 2);
  for (let i = 0; i < b.length; i++) {
    b[i] = parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  }
  return b;
}

function hex(b) {
  return '0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
