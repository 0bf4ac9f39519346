// Package submit is the submit plugin of the EVM chain family
// (wavs-plugin-submit-evm, capability "chain:evm"): it reads WAVS service
// managers (service URI, operator weights and quorum at a block, validate)
// and sends handleSignedEnvelope transactions.
//
// It speaks to contracts through a minimal ABI of the WAVS interfaces
// (abi.go), not generated bindings, so any WAVS-compatible service manager
// and handler work.
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
//	confirmations            blocks on top of the receipt's block before Submit returns (default 0)
//	receipt_timeout_seconds  how long Submit waits for a receipt (default 120)
//	receipt_poll_ms          the longest pause between receipt queries; they start
//	                         20 ms apart and double up to it (default 500)
//	max_attempts             tries of one Submit on transient errors (default 5)
//	already_handled_errors   revert errors meaning "the handler already holds
//	                         this event", as Solidity signatures such as
//	                         "EventAlreadyHandled(bytes20)" or 4-byte selectors
//	                         "0x1234abcd" (default ["EventAlreadyHandled(bytes20)"])
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
// Submit estimates gas (plus gas_margin_percent), assigns nonces itself
// (one lock per chain; "nonce too low" re-reads the pending nonce), pays
// EIP-1559 fees from the node (suggested tip + 2 × base fee), sends, and
// polls for the receipt. Transient errors (connection refused or reset,
// timeouts, "nonce too low", "replacement transaction underpriced") are
// retried with backoff up to max_attempts. A revert during estimation with
// one of already_handled_errors is a Receipt with AlreadyHandled and no
// transaction; any other revert is an error wrapping sdk.ErrInvalidArgument
// with the decoded reason; a mined transaction that failed is an error
// naming its hash.
package submit
