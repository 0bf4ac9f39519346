// Package store keeps everything the node must remember across restarts
// in one bbolt file in the data folder: registered services, the signing
// key index of each service, the components' per-service key-value data,
// the last trigger cursor the node acknowledged, the results (signed
// envelopes) it produced, and the aggregator's state: pending
// submissions, peers' signatures, evidence of equivocation, landing
// watches and aggregator-component timers.
//
// # Layout
//
// One bucket per purpose; records are JSON, KV values are stored as given:
//
//	meta                 schema_version → 1, next_signing_index → N
//	services             <service id> → ServiceRecord
//	signing_indexes      <service id> → index (never deleted)
//	kv/<service id>      <key> → value bytes
//	cursors              <trigger id> → cursor
//	results              <event id hex> → ResultRecord
//	results_by_service/<service id>
//	                     <created at, 8 bytes big-endian> ‖ <event id> → ""
//	result_counts        <service id> → results in its index (8 bytes)
//	kv_sizes             <service id> → bytes of its KV keys and values
//	submissions          <event id hex> → Submission
//	peer_signatures      <event id, 20 bytes> ‖ <signer, 20 bytes> → PeerSignature
//	evidence             <event id, 20 bytes> ‖ <signer, 20 bytes> → Evidence
//	landing_watches      <event id hex> → Watch
//	aggregator_timers    <event id hex> → AggTimer
//	dev_services         <sha256 hex> → save time (8 bytes) ‖ a service JSON (wavs dev)
//
// # Types and text
//
// In Go a record holds typed values: event ids are service.EventID,
// signers sdk.Address, transaction and block hashes sdk.Hash (zero: none).
// On disk they are text, as they always were: an event id is 40
// lowercase hex digits (in keys and in evidence), addresses and hashes 0x
// hex. A row is read back with the SDK's parsers, which also take the
// checksummed or upper-case forms earlier versions wrote; a key or value
// that does not read is reported as a corrupt record, never guessed at.
//
// # Commits
//
// Writes that wait at the same time share one transaction and one sync
// to disk (group commit); a lone write commits at once. A cursor stored
// with PutCursorSoon waits up to CursorRide for another write's commit
// to go with, and peers' signatures are written behind
// (PeerSignatureDelay): most events land, and so delete them, before the
// write would be due. Stats counts the writes by operation and the
// commits.
//
// # Quotas
//
// With WithQuotas, a service keeps at most ResultsPerService results (a
// new one prunes the oldest, but never one with a pending submission or
// landing watch) and none older than ResultsMaxAge (pruned on each new
// result and by PruneResults, which the node runs periodically); a KV
// write that would take a service's keys and values past
// KVBytesPerService fails with ErrQuota. The counts and sizes are kept
// beside the data and computed from it once for a file written before
// quotas existed.
//
// Open refuses a file written with a newer schema version, so an older
// node never misreads (or rewrites) a newer node's data.
//
// # Conventions
//
// A trigger id starts with the id of its service and a slash,
// "<service id>/<workflow id>" (service.TriggerID); DeleteService relies
// on it to drop the service's cursors. KV data and cursors can only be
// written for a registered service, so a component or trigger still
// running while its service is deleted cannot leave data behind for a
// later registration of the same service to find. Results are kept when
// their service is deleted: they are the record of what this operator
// signed.
//
// Signing indexes are allocated once per service id, from 1 upwards, and
// never reused, even after the service is deleted; registering the same
// service again gets its old index back, so its signing key is stable.
//
// All methods are safe for concurrent use. Bad arguments (empty ids or
// keys, values over 1 MiB) are errors wrapping ErrInvalid and never reach
// the file.
package store
