// Package plugins finds, launches and supervises the node's plugin
// processes.
//
// Discover reads a folder for executables named wavs-plugin-<name> and asks
// each to describe itself. A Supervisor runs one plugin: it launches the
// process through go-plugin, configures it, replays the host's state into
// it (subscriptions, triggers, open streams) and, when the process dies,
// launches a new one with backoff while callers get sdk.ErrUnavailable.
// Transport, Trigger and Submitter wrap a Supervisor with the Go interface
// of their kind, so the rest of the host never holds a dead client.
package plugins
