// Package submit is the submit plugin of the EVM chain family
// (wavs-plugin-submit-evm, capability "chain:evm"): it reads WAVS service
// managers (service URI, operator weights at a block, validate), sends
// handleSignedEnvelope transactions and proves landings.
//
// It speaks to contracts through a minimal ABI of the WAVS interfaces
// (abi.go), not generated bindings, so any WAVS-compatible service manager
// and handler work. Of a manager it needs only IWavsServiceManager:
// getLatestOperatorForSigningKey and getOperatorWeight for the weights,
// validate for the verdict, getServiceURI. Views beyond it (this repo's
// getTotalWeight/quorumNumerator/quorumDenominator, a POA registry's
// getLastCheckpoint… views) are detected per manager, re-detected every 10
// minutes, and only fill in the total and thresholds Quorum reports; a
// manager without them leaves those unknown (extras.go). Of a handler it
// needs handleSignedEnvelope and getServiceManager.
//
// # Landings
//
// FindLanding proves that an event landed from the chain alone: a
// transaction sent to the handler whose calldata is handleSignedEnvelope
// of an envelope with the event id, with a receipt of status 1 and the
// configured confirmations. It checks one named transaction, or scans the
// blocks from a given one to the head (at most 10000, in JSON-RPC batches
// of 50; blocks 64 or more below the head are remembered once scanned).
// Transactions are decoded from raw JSON, so other chains' transaction
// types do not get in the way. A landing made through another contract is
// not seen.
//
// # Chains
//
// Chains come from the node's [default.chains.evm.<chain_id>] blocks; the
// chain key is "evm:<chain_id>". The plugin dials a chain's http_endpoint,
// or else its first ws_endpoints entry, on first use and checks that
// eth_chainId answers the configured id. An unreachable endpoint does not
// fail Configure: Health reports it and calls fail with an error wrapping
// sdk.ErrUnavailable; an endpoint of another chain fails calls with a
// "wrong chain id" error naming both ids (wrapping sdk.ErrInvalidArgument);
// a chain that is not configured is sdk.ErrNotFound.
//
// # Settings
//
// [plugins.submit-evm.config] takes:
//
//	gas_margin_percent       extra gas over eth_estimateGas, in percent (default 25)
//	max_gas_price_multiple   a submission naming its own gas price (an aggregator
//	                         component's gas-price) may ask at most this many times
//	                         the chain's current price (default 10, 1 to 1000)
//	confirmations            blocks on top of the receipt's block before Submit returns (default 0)
//	receipt_timeout_seconds  how long Submit waits for a receipt (default 120)
//	receipt_poll_ms          the longest pause between receipt queries; they start
//	                         20 ms apart and double up to it (default 500)
//	max_attempts             tries of one Submit on transient errors (default 5)
//	replace_after_seconds    a transaction pending this long is replaced, same
//	                         nonce, fees raised by a quarter (default 30)
//	already_handled_errors   revert errors meaning "the handler already holds
//	                         this event", as Solidity signatures whose first
//	                         argument is the event id, such as
//	                         "EventAlreadyHandled(bytes20)", or 4-byte selectors
//	                         "0x1234abcd" of such errors (default
//	                         ["EventAlreadyHandled(bytes20)"]). A revert counts
//	                         only when its first argument is the event id
//	                         submitted: an error that does not name the event
//	                         could be any revert.
//
// Any other key is an error wrapping sdk.ErrInvalidArgument that names it.
//
// # The paying key
//
// Transactions are paid by the hex private key in the environment variable
// WAVS_EVM_CREDENTIAL (with or without 0x). It is never logged nor put in an
// error. Without it every read works and Submit fails with an error naming
// the variable; a value that is not a private key fails Configure.
//
// # Submit
//
// Submit estimates gas (plus gas_margin_percent), takes the node's pending
// nonce under a per-chain lock (so that concurrent Submits send back to
// back, and a nonce freed by a dropped transaction is reused rather than
// left as a gap), pays EIP-1559 fees from the node (suggested tip + 2 ×
// base fee), sends, and polls for the receipt. Transient errors before
// sending (connection refused or reset, timeouts, "nonce too low",
// "replacement transaction underpriced") are retried with backoff up to
// max_attempts.
//
// # Transactions
//
// Once sent, a transaction is followed until one version of it is mined
// (txwatch.go), looked at every second: one the node dropped (a reorg
// took its block) while its nonce is unused is sent again at once; one
// stuck behind a nonce of this account that nobody will fill has the gap
// filled with no-op transactions (0 to the payer itself); one pending
// longer than replace_after_seconds is replaced with fees raised by a
// quarter. Every version shares the nonce, so at most one is mined. One
// not mined within receipt_timeout_seconds is replaced by a no-op and
// Submit fails, so that no stale copy can land after the host sent the
// submission again. A revert during estimation with
// one of already_handled_errors naming the submitted event id is a Receipt
// with AlreadyHandled and no transaction; any other revert is an error
// wrapping sdk.ErrInvalidArgument with the decoded reason; a mined
// transaction that failed is an error naming its hash.
package submit
