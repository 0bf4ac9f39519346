// http-js: a WAVS operator component (wavs:operator/wavs-world@2.7.0)
// built by componentize-js with fetch() enabled, so it imports
// wasi:http/outgoing-handler. It fetches the URL in its config
// (config-var "url") with GET and answers the response body as its
// payload; a failed fetch or a non-2xx status answers the error text
// instead ("http-js: error: ..."), so a test sees what the guest saw.
// ../README.md has the contract.

import { configVar, log } from 'host';

const enc = new TextEncoder();

export async function run(action) {
  const url = configVar('url');
  if (!url) {
    throw 'http-js: config url is not set';
  }
  let payload;
  try {
    const res = await fetch(url, { headers: { 'x-wavs-test': 'http-js' } });
    const body = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) {
      payload = enc.encode(`http-js: error: status ${res.status}: ${new TextDecoder().decode(body)}`);
    } else {
      payload = body;
    }
    log({ tag: 'info' }, `http-js: GET ${url}: status ${res.status}, ${body.length} bytes`);
  } catch (e) {
    const msg = `http-js: error: ${e}${e && e.cause ? ` (${e.cause})` : ''}`;
    log({ tag: 'warn' }, msg);
    payload = enc.encode(msg);
  }
  return [{ payload, ordering: undefined, eventIdSalt: undefined }];
}
