// Package contracts holds the Solidity contracts a WAVS-style service runs on
// an EVM chain, and small Go helpers around them:
//
//   - src/: ServiceManager (operators, weights and signing keys with per-block
//     history, the quorum, validate, the service URI), ServiceHandler
//     (validated, replay-safe envelopes) and SimpleTrigger (a NewTrigger
//     event per call), compatible with WAVS's IWavsServiceManager and
//     IWavsServiceHandler; and a second pair that behaves like upstream
//     WAVS's, so that the node can be tested against contracts it did not
//     write for itself: PoaServiceManager (behind UpgradeableProxy, an
//     ERC-1967 proxy) and ExampleHandler (WAVS's SimpleSubmit);
//   - artifacts/ and bindings/: their ABI and bytecode and the Go bindings,
//     committed and regenerated with `make contracts` (contracts.mk);
//   - anviltest/: a local anvil chain for tests and demos;
//   - deploy/: deploying and configuring either pair with SimpleTrigger.
//
// This package decodes what the contracts return: revert data (RevertData,
// DecodeRevert) and NewTrigger data (DecodeTriggerInfo).
package contracts
