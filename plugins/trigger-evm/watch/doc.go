// Package watch is the trigger-evm plugin: it fires evm_contract_event,
// block_interval and cron triggers (capabilities trigger:evm_contract_event,
// trigger:block_interval, trigger:cron and chain:evm).
//
// # Configuration
//
// Chains come from the node's [default.chains.evm.<chain_id>] blocks
// (ws_endpoints, http_endpoint); their key is "evm:<chain_id>". The
// plugin's own table is [plugins.trigger-evm.config]:
//
//	confirmations             = 2     # 0-1000, "safe" or "finalized": a log or block counts once
//	                                  # head - block >= confirmations, or once the chain tags it so
//	backfill_blocks_per_query = 2000  # 1-1000000: blocks per eth_getLogs query
//	max_pending               = 10000 # 1-10000000: unacknowledged events kept; reading waits while full
//	reconnect_max_seconds     = 30    # 1-3600: cap of the reconnect backoff (250 ms doubling)
//	catchup_blocks            = 64    # 0-100000: blocks before the head a trigger without a cursor starts at
//
// Unknown keys and values out of range are refused, naming the key.
//
// # Connections
//
// Each chain is connected in the background, so an unreachable endpoint
// never fails Configure: the ws_endpoints are tried in turn, then the
// http_endpoint; a failed or lost connection is retried with backoff.
// Health is unhealthy while a chain is down and names it with the reason.
// An endpoint whose eth_chainId is not the configured id is refused (Health
// and the log name the chain, the endpoint, the expected and the actual
// id), and no event is taken from it. Over ws the plugin subscribes
// (newHeads, logs); over http it polls every second. Once connected over
// http it stays there until that connection fails.
//
// # Triggers and cursors
//
// evm_contract_event: the logs of one address with topic 0 = event_hash,
// emitted exactly once per plugin process and in chain order (a log at or
// before the last emitted position is dropped). On start and on every
// reconnect the plugin first backfills with eth_getLogs from the trigger's
// position (at most backfill_blocks_per_query blocks a query), so nothing
// is lost across a dropped connection. The default of two confirmations
// keeps the one- and two-block reorgs of normal operation from ever
// reaching a component; "safe" and "finalized" wait for the chain's own
// tags (eth_getBlockByNumber with the tag). With confirmations = 0 over ws it
// subscribes to the logs before the backfill and then emits live logs as
// they come; a live log marked removed (reorg) is not emitted, and one
// removed after it was emitted is only logged. With confirmations > 0, a
// tag (or over http) it reads logs with eth_getLogs up to the confirmed block
// each time the head moves (newHeads over ws, a poll every second over
// http): a log is read only once it is confirmed, so a reorg within the
// confirmation depth never emits a log, whether or not the node announces
// the removal. The cursor is "%020d:%010d" (block number, log index), so
// cursors sort as the chain does; a trigger added with a cursor resumes
// strictly after it.
//
// block_interval: fires on each confirmed block b with
// (b - start_block) % n_blocks == 0, up to end_block (0: no end).
// start_block 0 (null in the service JSON) anchors the schedule at block
// 0: b % n_blocks == 0. Every operator then fires on the same blocks
// whenever it registered; anchoring at each node's own head would make
// operators registered at heads that differ mod n_blocks sign different
// events that never reach a quorum. The cursor is the block number as
// "%020d"; a trigger added with a cursor fires every qualifying block
// after it, including those passed while the plugin was not running.
//
// cron: fires at each time the schedule (package internal/cron) gives
// between start_time and end_time. The cursor is the fire time's unix
// nanoseconds as "%020d". Firings missed while the plugin was not running
// are not replayed: a trigger added with a cursor fires next at the first
// scheduled time after both the cursor and now.
//
// Adding a trigger id again replaces the trigger and drops its pending
// events: the new spec's cursor says where to resume.
//
// A trigger without a cursor (a service just registered) starts
// catchup_blocks before the chain's head: the logs and block firings of
// that window are emitted first. An operator that registers late, or
// registered and restarted before its first event, so still signs what its
// peers fired just before and completes their pending quorums; firings in
// the window that no peer signs wait as pending on the node (wavs pending
// list). cron replays nothing. If the chain is down when the trigger is
// added, it starts from the last head seen, or from the head of the first
// connection.
package watch
