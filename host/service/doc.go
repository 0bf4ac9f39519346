// Package service is the definition of a WAVS service as the node reads
// it: the Go types of the service JSON, a strict decoder that reports every
// problem with its JSON path, the ids derived from a service, and the cron
// schedules its triggers use.
//
// # Service JSON
//
// The JSON is a WAVS 2.x service (Lay3rLabs/WAVS packages/types/src/
// service.rs, 2.8.0), so a service.json written for WAVS registers here
// unchanged:
//
//	{"name": "demo",
//	 "workflows": {"<workflow id>": {
//	   "trigger": {"evm_contract_event": {"address": "0x…", "chain": "evm:31337", "event_hash": "0x…"}}
//	            | {"block_interval": {"chain": "evm:31337", "n_blocks": 10, "start_block": null, "end_block": null}}
//	            | {"cron": {"schedule": "*/5 * * * * *", "start_time": <unix ns> | null, "end_time": <unix ns> | null}}
//	            | "manual"
//	            | {"cosmos_contract_event": {"address": "neutron1…", "chain": "cosmos:neutron-1", "event_type": "wasm-x"}}
//	            | {"at_proto_event": {"collection": "app.bsky.feed.post", "repo_did": "did:…" | null, "action": "create" | "update" | "delete" | null}}
//	            | {"hypercore_append": {"feed_key": "…"}}
//	            | {"solana_program_event": {"chain": "solana:devnet", "program_id": "<base58>",
//	                                        "filter": {"discriminator": "0x…"} | {"log_contains": "…"},
//	                                        "commitment": "processed" | "confirmed" | "finalized"}},
//	   "component": <component>,
//	   "submit": "none"
//	           | {"aggregator": {"component": <component>, "signature_kind": {"algorithm": "secp256k1", "prefix": "eip191" | null}}}
//	           | {"aggregator": {"chain": "evm:31337", "address": "0x…"}}}},
//	 "status": "active" | "paused",
//	 "manager": {"evm": {"chain": "evm:31337", "address": "0x…"}} | {"cosmos": {"chain": "cosmos:…", "address": "<bech32>"}}}
//
//	<component> = {"source": {"digest": "<sha256 hex>"}
//	                       | {"download": {"uri": "https://…", "digest": "<sha256 hex>"}}
//	                       | {"registry": {"digest": "<sha256 hex>", "domain": "wa.dev" | null, "version": "1.2.3" | null, "package": "ns:name"}},
//	               "permissions": {"allowed_http_hosts": "all" | "none" | {"only": ["api.example.com"]},
//	                               "file_system": false, "raw_sockets": false, "dns_resolution": false},
//	               "fuel_limit": null, "time_limit_seconds": null, "config": {"k": "v"}, "env_keys": ["WAVS_ENV_X"]}
//
// Chain keys are WAVS's: "<namespace>:<id>" matching
// ^([-a-z0-9]{1,32}):([-_a-zA-Z0-9]{1,32})$. The decoder takes any such
// key; whether the node serves the chain is for the registry (its
// configured chains and plugins) to say. Cron start_time and end_time are
// unix times in nanoseconds, as WAVS's Timestamp ([Cron.Start] and
// [Cron.End] give them as times).
//
// What the node does with each part:
//
//   - Triggers: evm_contract_event, block_interval and cron run through
//     the node's trigger plugins. "manual" binds no plugin: the workflow
//     runs only when fired by hand. cosmos_contract_event,
//     at_proto_event, hypercore_append and solana_program_event are read,
//     checked and written back, but registration refuses them unless a
//     loaded trigger plugin provides the kind.
//   - Sources: digest and download are served; a registry source is read
//     and written back, but registration refuses it (no component
//     registry is configured on the node).
//   - Submit: the aggregator with component and signature_kind is WAVS's
//     (an aggregator component decides where results go; see
//     [Submit.AggregatorComponent]). {"aggregator": {"chain", "address"}}
//     is this node's own shortcut, not WAVS's: the node submits the signed
//     envelope to that service handler itself. The two are told apart by
//     their keys; an object mixing them is an error.
//   - Manager: a cosmos manager is read and written back (and its id
//     computed), but registration refuses it: the node has no plugin for
//     the cosmos chain family.
//
// The node is more lenient than WAVS in a few places (a WAVS-written JSON
// is always accepted; these only accept more):
//
//   - status may be left out (default "active"); a component's
//     permissions, config and env_keys may be left out (WAVS requires
//     them; absent means {}, {} and []); fuel_limit, time_limit_seconds,
//     start_block, end_block, start_time, end_time, repo_did, action,
//     domain and version may be left out as well as null.
//   - Workflow ids match ^[A-Za-z0-9_-]{1,64}$ (WAVS: 3..36 characters of
//     a-z, 0-9, _ and -).
//   - Addresses and hashes are accepted in any letter case, with or
//     without 0x.
//
// and stricter in others, where a value would surely be a mistake:
// unknown fields and duplicate keys are errors ("url" in a download is
// refused with a pointer to WAVS's "uri"); time_limit_seconds is 1..3600;
// fuel_limit is ≥ 1; addresses and event hashes are not zero; env_keys
// are WAVS_ENV_ and letters, digits and _, each once; a cron time between
// 1 and 10^15 (written in seconds or milliseconds, surely) is refused.
//
// [Decode] is strict: unknown fields, duplicate keys, wrong types and
// malformed hex are errors, and so is anything [Service.Validate] rejects.
// It returns every problem at once, joined with errors.Join and sorted by
// path; each is a [*FieldError] such as
//
//	workflows.price.trigger.evm_contract_event.address: "0x12": want a 20-byte hex address (0x + 40 hex digits)
//
// [Service.MarshalJSON] writes the WAVS 2.x shape with every field, in
// WAVS's field order (name, workflows, status, manager; workflows and
// config sorted by key), addresses and hashes as 0x-prefixed lowercase
// hex, component digests as 64 lowercase hex digits, absent optional
// values as null: a WAVS node reads what this node writes, a service as
// WAVS writes it comes back byte for byte (indented alike), and a decoded
// service encodes and decodes to an equal value. The shortcut aggregator
// is written as the shortcut.
//
// # Ids
//
// The service id is the lowercase hex of
//
//	sha256("evm" ‖ chain key ‖ manager address)
//
// where the chain key is the manager's chain as written in the JSON (e.g.
// the 9 bytes "evm:31337") and the address is the manager's 20 raw bytes;
// for a cosmos manager, sha256("cosmos" ‖ chain key ‖ the address's
// bech32 data bytes). See [Service.ID].
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
