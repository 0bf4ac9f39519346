// Package service is the definition of a WAVS service as the node reads
// it: the Go types of the service JSON, a strict decoder that reports every
// problem with its JSON path, the ids derived from a service, and the cron
// schedules its triggers use.
//
// # Service JSON
//
// The JSON has the same shape as a WAVS service:
//
//	{"name": "demo", "status": "active",
//	 "manager": {"evm": {"chain": "evm:31337", "address": "0x…"}},
//	 "workflows": {"<workflow id>": {
//	   "trigger": {"evm_contract_event": {"address": "0x…", "chain": "evm:31337", "event_hash": "0x…"}}
//	            | {"block_interval": {"chain": "evm:31337", "n_blocks": 10, "start_block": null, "end_block": null}}
//	            | {"cron": {"schedule": "*/5 * * * * *", "start_time": null, "end_time": null}},
//	   "component": {"source": {"digest": "<sha256 hex>"} | {"download": {"url": "https://…", "digest": "<sha256 hex>"}},
//	                 "permissions": {"allowed_http_hosts": "all" | "none" | {"only": ["api.example.com"]}},
//	                 "fuel_limit": null, "time_limit_seconds": null, "config": {"k": "v"}, "env_keys": ["WAVS_ENV_X"]},
//	   "submit": "none" | {"aggregator": {"chain": "evm:31337", "address": "0x…"}}}}}
//
// [Decode] is strict: unknown fields, duplicate keys, wrong types and
// malformed hex are errors, and so is anything [Service.Validate] rejects.
// It returns every problem at once, joined with errors.Join and sorted by
// path; each is a [*FieldError] such as
//
//	workflows.price.trigger.evm_contract_event.address: "0x12": want a 20-byte hex address (0x + 40 hex digits)
//
// Optional fields may be left out: status (default "active"), permissions
// (default no HTTP hosts), fuel_limit, time_limit_seconds, config, env_keys,
// start_block, end_block, start_time and end_time. [Service.MarshalJSON]
// always writes every field, addresses and hashes as 0x-prefixed lowercase
// hex, so a decoded service encodes and decodes to an equal value.
// Addresses and hashes are accepted in any letter case, with or without
// the 0x prefix; component digests are 64 lowercase hex digits, as
// sha256sum prints them. Cron times are unix seconds.
//
// # Ids
//
// The service id is the lowercase hex of
//
//	sha256("evm" ‖ chain key ‖ manager address)
//
// where the chain key is the manager's chain as written in the JSON (e.g.
// the 9 bytes "evm:31337"; keys are canonical, "evm:" and a decimal id
// without leading zeros, so one chain has one key) and the address is the
// manager's 20 raw bytes. See [Service.ID].
//
// The event id of one trigger firing is the 20 bytes
//
//	RIPEMD-160(service id ‖ workflow id ‖ salt)
//
// where the service id is its 32 raw bytes (not the hex), the workflow id
// is its UTF-8 bytes and the salt is chosen by the caller (the component's
// event-id salt, or a canonical encoding of the trigger data). See
// [EventID]. These match WAVS, so the same trigger yields the same
// envelope event id on every operator.
//
// Operators of a service exchange signatures on the GossipSub topic
// "wavs/<service id>/topic/v1" ([Service.Topic]).
package service
