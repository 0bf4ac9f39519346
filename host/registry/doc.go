// Package registry keeps the node's services: it registers them (the
// service JSON, its components, its triggers with the trigger plugins and
// its topic with the transport), restores them after a restart, and turns
// each trigger event into signed results: run the workflow's component,
// wrap every response in an Envelope, sign it with the service's key and
// store it, then acknowledge the event.
//
// An event is acknowledged only after its results are stored, and the
// events of one trigger are handled in order, so a node that stops at any
// point loses no accepted trigger: the plugin sends the unacknowledged
// events again.
package registry
