// Package plugintest runs a wavs plugin in-process, behind a real gRPC
// connection, and checks it against the conformance suite of its kind.
//
// A third-party plugin runs the suite from its own tests:
//
//	func TestConformance(t *testing.T) {
//		plugintest.TriggerSuite(t, func(t *testing.T) sdk.Trigger {
//			return mytrigger.New(hclog.NewNullLogger())
//		}, plugintest.TriggerOptions{
//			Spec: func(id string) sdk.TriggerSpec { … },
//			Fire: func(t *testing.T, p sdk.Trigger, spec sdk.TriggerSpec) {
//				// p is the value New returned: POST to its port, …
//			},
//		})
//	}
//
// and checks its built executable with CheckBinary (or the Binary field
// of the options).
//
// # Instances
//
// newPlugin is called for every plugin instance a subtest needs; the
// instance is served over gRPC (Connect), and the suite talks to it as
// the host does. Each subtest has a data directory of its own, passed as
// ConfigureRequest.DataDir to every instance of the subtest (an instance
// started after another one stopped finds what that one left), except
// Deterministic's two instances, which get one each, as two operators'
// nodes do. ConfigureRequest.PluginName is the plugin's Info().Name, the
// name the node knows it by.
//
// After a subtest's body, every instance it created, configured or not,
// is shut down through gRPC, once: an instance the subtest already shut
// down is not shut down again. Shutdown must return nil within
// ShutdownTimeout, or the subtest fails: the host stops a plugin the same
// way, and a new instance may start right after (so a plugin may hold a
// fixed port, a lock or a file from Configure until Shutdown, and must
// release them there). newPlugin need not arrange a Shutdown of its own.
//
// # What every suite checks
//
//   - Info: Info over gRPC passes sdk.Info.Validate (a name, a known kind,
//     the SDK's protocol version, valid trigger kinds), has a version, is
//     of the suite's kind, and equals the plugin's own Info().
//   - ConfigureThenHealthy: Configure with the options' Config succeeds
//     and Health then reports healthy.
//   - ConfigureRejectsMalformed: Configure with config that is not JSON
//     fails with sdk.ErrInvalidArgument.
//   - ConfigureRejectsUnknownKeys: Configure with Config plus an unknown
//     key in its "plugin" section fails with sdk.ErrInvalidArgument, and
//     the error names the key and the section as the operator wrote it,
//     "[plugins.<name>.config]" (ConfigureRequest.Section does both).
//     There is no opt-out: a plugin without options decodes its section
//     into an empty struct, so that a stray key is refused, not ignored.
//   - ConfigureIgnoresUnknownSections: Configure with Config plus a
//     top-level section no plugin reads succeeds: the host may pass new
//     sections, and a plugin reads only those it knows.
//   - Shutdown: Shutdown after Configure returns nil within
//     ShutdownTimeout (as every instance's Shutdown must, above).
//   - Binary: with the options' Binary set, CheckBinary of that file
//     against a fresh instance; skipped otherwise.
//
// # TriggerSuite
//
// Each wait for an event calls Fire (when set) as it starts and every
// 500ms, and gives up after EventTimeout.
//
//   - RemoveUnknown: RemoveTrigger of an unknown id is sdk.ErrNotFound.
//   - EventCarriesIDAndCursor: an event of a trigger added with Spec
//     arrives with the trigger's id, a cursor and data, and Ack of it
//     succeeds.
//   - UnackedEventRedelivered: an event left unacked is the trigger's
//     first event on the next Events stream; once acked, the stream after
//     does not start with it.
//   - RemovedTriggerFallsSilent: after RemoveTrigger, a new stream carries
//     no event of the removed trigger, pending or new, while another
//     trigger keeps firing.
//   - EventsEndWithContext: an Events channel closes within 2s of its
//     context's end.
//   - NewEventsStreamEndsPrevious: a second Events call closes the first
//     stream within 2s.
//   - ResumeAfterRestart: an instance delivers e1, which is acked, and e2,
//     which is not, and is shut down; a new instance with the same data
//     directory, given the trigger with Cursor e1, must not deliver e1
//     again (its first event is checked; with Persistent, every event
//     until e2). With TriggerOptions.Persistent it must deliver e2 again,
//     with the same data, within EventTimeout; without, later events may
//     differ from the first instance's (a chain trigger re-reads the chain
//     from the cursor instead).
//   - Deterministic: two instances given the same spec, each fired
//     through Fire with its own handle, deliver equal data for their
//     first event: RawData's bytes, CronTick's instant, every field of an
//     EvmLog or BlockTick. Two instances that start a moment apart may
//     begin at different points of a shared source: when the cursors of
//     their first events differ, the suite compares the first cursor both
//     delivered among their first five events (the first events when they
//     share none). With OneAtATime the instances run one after the other
//     and their first events are compared. Why: the event id the
//     operators sign is derived from the trigger data, so every
//     operator's node must deliver the same bytes for the same happening;
//     data holding a receive time, a local counter or a map's order makes
//     the operators' signatures disagree and the result never lands.
//
// # SubmitterSuite
//
// The checks after UnknownChain need SubmitterOptions.Chain;
// ServiceManager needs Handler and Manager as well, and QuorumWeights,
// OperatorSet, Validate and SubmitLandsOnce Handler and Signed. Each is
// skipped without what it needs. The submission they use is Signed's for
// a fresh envelope with a random event id.
//
//   - UnknownChain: LatestBlock, BlockAt and FindLanding of UnknownChain
//     are sdk.ErrNotFound.
//   - LatestBlockAdvances: a second LatestBlock is not below the first.
//   - BlockAt: BlockAt of the head is the head's block (its hash when
//     known); far past the head it is sdk.ErrNotFound.
//   - FindLandingOfNothing: FindLanding of an event id nothing was sent
//     with (at Handler, or an address without a handler), scanning from
//     the head and checking an unknown transaction, is not found, not an
//     error.
//   - ServiceManager: ServiceManager(Chain, Handler) answers Manager.
//   - QuorumWeights: Quorum at the submission's reference height for its
//     signers plus one that is no operator (the first signer with its last
//     byte changed) answers one weight per signer, in their order: more
//     than 0 for each signer, 0 (not an error) for the stranger; asked
//     with the signers reversed, the weights come reversed.
//   - OperatorSet: unless the plugin answers sdk.ErrUnimplemented, the
//     set's weights equal Quorum's for each operator, every signer of the
//     submission is in it, its total weight is the sum of its operators'
//     and equals Quorum's, its thresholds equal Quorum's (where both are
//     known), and its scheme, when it names one, is the submission's.
//   - Validate: the submission is Valid; with one byte of its first
//     signature flipped it is not Valid, and that is no error.
//   - SubmitLandsOnce: before the Submit, FindLanding finds nothing; Submit
//     answers a receipt with a transaction hash (not AlreadyHandled);
//     then FindLanding, scanning from the head before the Submit and
//     checking that transaction, finds it with that hash (within 3s); a
//     second Submit of the same submission is AlreadyHandled, an error or
//     the first landing's transaction again, never a second landing.
//
// The host never sends a submission without signatures (it calls
// FindLanding instead), so the suite does not require a plugin to handle
// one.
//
// # TransportSuite
//
//   - AdmissionIsOptional: either SetAdmission is sdk.ErrUnimplemented and
//     so are PeerClaims and Admit, or SetAdmission of an open policy
//     succeeds, an unknown mode and a malformed peer id are
//     sdk.ErrInvalidArgument, PeerClaims opens and Status reports the
//     open mode.
//   - SubscribeShowsInStatus: subscribing twice is no error and Status
//     lists the topic once; after Unsubscribe it is gone, and a second
//     Unsubscribe is sdk.ErrNotFound.
//   - EmptyTopicRejected: Subscribe("") is sdk.ErrInvalidArgument.
//   - PublishNeedsSubscription: Publish before Subscribe is
//     sdk.ErrNotFound, after it succeeds.
//   - NoSelfDelivery: a message the transport published does not come
//     back on its own Inbound within 300ms.
//   - InboundEndsWithContext: an Inbound channel closes within 2s of its
//     context's end.
//   - NewInboundEndsPrevious: a second Inbound call closes the first
//     stream within 2s and stays open itself.
//   - StatusLists: topic peer counts are not negative, and a disabled
//     transport reports no peers or listen addresses.
package plugintest
