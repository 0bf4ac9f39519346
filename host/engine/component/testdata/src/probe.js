import hostLog from "host-log";
// run echoes job.data with the job id appended, or fails when the job has no
// data, logging through the host first.
export function run(job) {
  hostLog(`job ${job.id} with ${job.tags.length} tags`);
  if (job.data.length === 0) {
    throw "empty job";
  }
  const out = new Uint8Array(job.data.length + 1);
  out.set(job.data);
  out[job.data.length] = job.id & 0xff;
  return out;
}
