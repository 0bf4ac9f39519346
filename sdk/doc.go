// Package sdk is what a wavs plugin author imports.
//
// A plugin is a separate executable that the wavs host launches and talks
// to over gRPC (HashiCorp go-plugin). It is one of three kinds:
//
//   - a Trigger watches a chain (or a clock) and streams events that make
//     the node run a service's component;
//   - a Submitter is the chain-facing side of one chain family: it reads
//     service managers and lands signed envelopes;
//   - a Transport carries operators' signed submissions between nodes.
//
// Authors implement the Go interface of their kind and call the matching
// Serve function from main:
//
//	func main() { sdk.ServeTransport(mytransport.New) }
//
// Serve handles the handshake, raises gRPC message limits, writes
// hclog-shaped JSON logs to stderr, answers `describe` without a host, and
// exits when the host process dies. The wire types stay internal; the
// .proto files under proto/ define the protocol for plugins written in
// other languages. Package plugintest runs a plugin in-process and checks
// it against the conformance suite of its kind. Hosts that load plugins
// use package client (github.com/wavs-go/wavs/sdk/client); plugin authors
// do not need it.
package sdk
