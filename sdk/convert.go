package sdk

// Conversions between the Go-native types of this package and the wire
// types of internal/pluginpb. Values from the wire are checked here, so a
// malformed message becomes an ErrInvalidArgument instead of a panic.

import (
	"fmt"
	"math/big"
	"time"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

var kindToPB = map[Kind]pb.Kind{
	KindTrigger:   pb.Kind_KIND_TRIGGER,
	KindSubmit:    pb.Kind_KIND_SUBMIT,
	KindTransport: pb.Kind_KIND_TRANSPORT,
}

func infoToPB(i Info) *pb.InfoResponse {
	return &pb.InfoResponse{
		Name:            i.Name,
		Version:         i.Version,
		Kind:            kindToPB[i.Kind],
		ProtocolVersion: uint32(i.ProtocolVersion),
		Capabilities:    i.Capabilities,
		Description:     i.Description,
		TriggerKinds:    kindsToPB(i.TriggerKinds),
	}
}

func kindsToPB(ks []TriggerKind) []*pb.TriggerKind {
	if len(ks) == 0 {
		return nil
	}
	out := make([]*pb.TriggerKind, len(ks))
	for i, k := range ks {
		fs := make([]*pb.ConfigField, len(k.Fields))
		for j, f := range k.Fields {
			fs[j] = &pb.ConfigField{Name: f.Name, Type: string(f.Type), Required: f.Required, Description: f.Description}
		}
		out[i] = &pb.TriggerKind{Name: k.Name, Description: k.Description, Fields: fs}
	}
	return out
}

func kindsFromPB(ps []*pb.TriggerKind) []TriggerKind {
	if len(ps) == 0 {
		return nil
	}
	out := make([]TriggerKind, len(ps))
	for i, p := range ps {
		k := TriggerKind{Name: p.GetName(), Description: p.GetDescription()}
		for _, f := range p.GetFields() {
			k.Fields = append(k.Fields, ConfigField{Name: f.GetName(), Type: FieldType(f.GetType()), Required: f.GetRequired(), Description: f.GetDescription()})
		}
		out[i] = k
	}
	return out
}

func infoFromPB(p *pb.InfoResponse) Info {
	var kind Kind
	for k, v := range kindToPB {
		if v == p.GetKind() {
			kind = k
		}
	}
	return Info{
		Name:            p.GetName(),
		Version:         p.GetVersion(),
		Kind:            kind,
		ProtocolVersion: int(p.GetProtocolVersion()),
		Capabilities:    p.GetCapabilities(),
		Description:     p.GetDescription(),
		TriggerKinds:    kindsFromPB(p.GetTriggerKinds()),
	}
}

func statusToPB(s TransportStatus) *pb.StatusResponse {
	counts := make(map[string]uint32, len(s.TopicPeerCounts))
	for k, v := range s.TopicPeerCounts {
		counts[k] = uint32(v)
	}
	out := &pb.StatusResponse{
		Enabled:           s.Enabled,
		LocalPeerId:       s.LocalPeerID,
		ListenAddresses:   s.ListenAddresses,
		ExternalAddresses: s.ExternalAddresses,
		PeerIds:           s.PeerIDs,
		SubscribedTopics:  s.SubscribedTopics,
		TopicPeerCounts:   counts,
		MaxMessageBytes:   uint64(max(s.MaxMessageBytes, 0)),
		Admission:         s.Admission,
		Peers:             peersToPB(s.Peers),
	}
	scoresToPB(s, out)
	return out
}

func statusFromPB(p *pb.StatusResponse) TransportStatus {
	counts := make(map[string]int, len(p.GetTopicPeerCounts()))
	for k, v := range p.GetTopicPeerCounts() {
		counts[k] = int(v)
	}
	out := TransportStatus{
		Enabled:           p.GetEnabled(),
		LocalPeerID:       p.GetLocalPeerId(),
		ListenAddresses:   p.GetListenAddresses(),
		ExternalAddresses: p.GetExternalAddresses(),
		PeerIDs:           p.GetPeerIds(),
		SubscribedTopics:  p.GetSubscribedTopics(),
		TopicPeerCounts:   counts,
		MaxMessageBytes:   int(min(p.GetMaxMessageBytes(), 1<<40)),
		Admission:         p.GetAdmission(),
		Peers:             peersFromPB(p.GetPeers()),
	}
	scoresFromPB(p, &out)
	return out
}

func messageToPB(m Message) *pb.InboundMessage {
	var ts int64
	if !m.ReceivedAt.IsZero() {
		ts = m.ReceivedAt.UnixNano()
	}
	return &pb.InboundMessage{Topic: m.Topic, Data: m.Data, From: m.From, ReceivedUnixNano: ts, Id: m.ID, ReceivedFrom: m.ReceivedFrom}
}

func messageFromPB(p *pb.InboundMessage) (Message, error) {
	m := Message{Topic: p.GetTopic(), Data: p.GetData(), From: p.GetFrom(), ID: p.GetId(), ReceivedFrom: p.GetReceivedFrom()}
	if p.GetReceivedUnixNano() != 0 {
		m.ReceivedAt = time.Unix(0, p.GetReceivedUnixNano())
	}
	return m, nil
}

func unixOrZero(t time.Time) uint64 {
	if t.IsZero() || t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

func timeOrZero(secs uint64) time.Time {
	if secs == 0 {
		return time.Time{}
	}
	return time.Unix(int64(secs), 0).UTC()
}

func specToPB(s TriggerSpec) (*pb.TriggerSpec, error) {
	out := &pb.TriggerSpec{Id: s.ID, Cursor: s.Cursor}
	switch src := s.Source.(type) {
	case *EvmContractEvent:
		out.Source = &pb.TriggerSpec_EvmContractEvent{EvmContractEvent: &pb.EvmContractEvent{
			Chain: src.Chain, Address: src.Address[:], EventHash: src.EventHash[:],
		}}
	case *BlockInterval:
		out.Source = &pb.TriggerSpec_BlockInterval{BlockInterval: &pb.BlockInterval{
			Chain: src.Chain, NBlocks: src.NBlocks, StartBlock: src.StartBlock, EndBlock: src.EndBlock,
		}}
	case *Cron:
		out.Source = &pb.TriggerSpec_Cron{Cron: &pb.Cron{
			Schedule: src.Schedule, StartTime: unixOrZero(src.StartTime), EndTime: unixOrZero(src.EndTime),
		}}
	case *KindSource:
		if src.Kind == "" {
			return nil, fmt.Errorf("%w: trigger %q: kind source has no kind", ErrInvalidArgument, s.ID)
		}
		out.Source = &pb.TriggerSpec_Kind{Kind: &pb.KindSource{Kind: src.Kind, ConfigJson: src.Config}}
	default:
		return nil, fmt.Errorf("%w: trigger %q: source %T is not one of evm_contract_event, block_interval, cron or a declared kind", ErrInvalidArgument, s.ID, s.Source)
	}
	return out, nil
}

func specFromPB(p *pb.TriggerSpec) (TriggerSpec, error) {
	s := TriggerSpec{ID: p.GetId(), Cursor: p.GetCursor()}
	if s.ID == "" {
		return s, fmt.Errorf("%w: trigger id is empty", ErrInvalidArgument)
	}
	switch src := p.GetSource().(type) {
	case *pb.TriggerSpec_EvmContractEvent:
		e := &EvmContractEvent{Chain: src.EvmContractEvent.GetChain()}
		if err := fixed(e.Address[:], src.EvmContractEvent.GetAddress(), "evm_contract_event.address"); err != nil {
			return s, err
		}
		if err := fixed(e.EventHash[:], src.EvmContractEvent.GetEventHash(), "evm_contract_event.event_hash"); err != nil {
			return s, err
		}
		s.Source = e
	case *pb.TriggerSpec_BlockInterval:
		b := src.BlockInterval
		s.Source = &BlockInterval{Chain: b.GetChain(), NBlocks: b.GetNBlocks(), StartBlock: b.GetStartBlock(), EndBlock: b.GetEndBlock()}
	case *pb.TriggerSpec_Cron:
		c := src.Cron
		s.Source = &Cron{Schedule: c.GetSchedule(), StartTime: timeOrZero(c.GetStartTime()), EndTime: timeOrZero(c.GetEndTime())}
	case *pb.TriggerSpec_Kind:
		if src.Kind.GetKind() == "" {
			return s, fmt.Errorf("%w: trigger %q: kind source has no kind", ErrInvalidArgument, s.ID)
		}
		s.Source = &KindSource{Kind: src.Kind.GetKind(), Config: src.Kind.GetConfigJson()}
	default:
		return s, fmt.Errorf("%w: trigger %q has no source", ErrInvalidArgument, s.ID)
	}
	return s, nil
}

func hashesToBytes(hs []Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

func eventToPB(e TriggerEvent) (*pb.TriggerEvent, error) {
	out := &pb.TriggerEvent{TriggerId: e.TriggerID, Cursor: e.Cursor}
	switch d := e.Data.(type) {
	case *EvmLog:
		out.Data = &pb.TriggerEvent_EvmLog{EvmLog: &pb.EvmLog{
			Chain: d.Chain, Address: d.Address[:], Topics: hashesToBytes(d.Topics), Data: d.Data,
			BlockNumber: d.BlockNumber, BlockHash: d.BlockHash[:], TxHash: d.TxHash[:],
			TxIndex: d.TxIndex, LogIndex: d.LogIndex, BlockTimestamp: d.BlockTimestamp,
		}}
	case *BlockTick:
		out.Data = &pb.TriggerEvent_Block{Block: &pb.BlockTick{Chain: d.Chain, BlockNumber: d.BlockNumber, BlockHash: d.BlockHash[:]}}
	case *CronTick:
		out.Data = &pb.TriggerEvent_Cron{Cron: &pb.CronTick{UnixNano: d.Time.UnixNano()}}
	case *RawData:
		out.Data = &pb.TriggerEvent_Raw{Raw: &pb.RawData{Data: d.Data}}
	default:
		return nil, fmt.Errorf("%w: trigger %q: event data %T is not one of EvmLog, BlockTick, CronTick, RawData", ErrInvalidArgument, e.TriggerID, e.Data)
	}
	return out, nil
}

func eventFromPB(p *pb.TriggerEvent) (TriggerEvent, error) {
	e := TriggerEvent{TriggerID: p.GetTriggerId(), Cursor: p.GetCursor()}
	switch d := p.GetData().(type) {
	case *pb.TriggerEvent_EvmLog:
		l := d.EvmLog
		out := &EvmLog{Chain: l.GetChain(), Data: l.GetData(), BlockNumber: l.GetBlockNumber(), TxIndex: l.GetTxIndex(), LogIndex: l.GetLogIndex(), BlockTimestamp: l.GetBlockTimestamp()}
		if err := fixed(out.Address[:], l.GetAddress(), "evm_log.address"); err != nil {
			return e, err
		}
		if err := fixed(out.BlockHash[:], l.GetBlockHash(), "evm_log.block_hash"); err != nil {
			return e, err
		}
		if err := fixed(out.TxHash[:], l.GetTxHash(), "evm_log.tx_hash"); err != nil {
			return e, err
		}
		out.Topics = make([]Hash, len(l.GetTopics()))
		for i, t := range l.GetTopics() {
			if err := fixed(out.Topics[i][:], t, fmt.Sprintf("evm_log.topics[%d]", i)); err != nil {
				return e, err
			}
		}
		e.Data = out
	case *pb.TriggerEvent_Block:
		out := &BlockTick{Chain: d.Block.GetChain(), BlockNumber: d.Block.GetBlockNumber()}
		if len(d.Block.GetBlockHash()) > 0 {
			if err := fixed(out.BlockHash[:], d.Block.GetBlockHash(), "block.block_hash"); err != nil {
				return e, err
			}
		}
		e.Data = out
	case *pb.TriggerEvent_Cron:
		e.Data = &CronTick{Time: time.Unix(0, d.Cron.GetUnixNano()).UTC()}
	case *pb.TriggerEvent_Raw:
		e.Data = &RawData{Data: d.Raw.GetData()}
	default:
		return e, fmt.Errorf("%w: trigger %q: event has no data", ErrInvalidArgument, e.TriggerID)
	}
	return e, nil
}

func bigToBytes(b *big.Int) []byte {
	if b == nil {
		return nil
	}
	return b.Bytes()
}

func submissionToPB(s Submission) *pb.Submission {
	return &pb.Submission{
		Chain:   s.Chain,
		Handler: s.Handler,
		Envelope: &pb.Envelope{
			EventId:  s.Envelope.EventID[:],
			Ordering: s.Envelope.Ordering[:],
			Payload:  s.Envelope.Payload,
		},
		SignatureData: &pb.SignatureData{
			Scheme:     string(s.Signatures.Scheme),
			Signers:    s.Signatures.Signers,
			Signatures: s.Signatures.Signatures,
			Reference:  s.Signatures.Reference,
		},
		GasPrice: bigToBytes(s.GasPrice),
	}
}

func submissionFromPB(p *pb.Submission) (Submission, error) {
	s := Submission{Chain: p.GetChain(), Handler: p.GetHandler()}
	env := p.GetEnvelope()
	if err := fixed(s.Envelope.EventID[:], env.GetEventId(), "envelope.event_id"); err != nil {
		return s, err
	}
	if err := fixed(s.Envelope.Ordering[:], env.GetOrdering(), "envelope.ordering"); err != nil {
		return s, err
	}
	s.Envelope.Payload = env.GetPayload()
	sd := p.GetSignatureData()
	if len(sd.GetSigners()) != len(sd.GetSignatures()) {
		return s, fmt.Errorf("%w: signature_data has %d signers and %d signatures", ErrInvalidArgument, len(sd.GetSigners()), len(sd.GetSignatures()))
	}
	s.Signatures = SignatureData{Scheme: Scheme(sd.GetScheme()), Signers: sd.GetSigners(), Signatures: sd.GetSignatures(), Reference: sd.GetReference()}
	if g := p.GetGasPrice(); len(g) > 0 {
		if len(g) > 32 {
			return s, fmt.Errorf("%w: gas_price has %d bytes, want at most 32", ErrInvalidArgument, len(g))
		}
		s.GasPrice = new(big.Int).SetBytes(g)
	}
	return s, nil
}

func quorumToPB(q Quorum) *pb.QuorumResponse {
	weights := make([][]byte, len(q.Weights))
	for i, w := range q.Weights {
		weights[i] = bigToBytes(w)
	}
	return &pb.QuorumResponse{
		Weights:              weights,
		TotalWeight:          bigToBytes(q.TotalWeight),
		TotalKnown:           q.TotalWeight != nil,
		ThresholdNumerator:   q.ThresholdNumerator,
		ThresholdDenominator: q.ThresholdDenominator,
		ThresholdWeight:      bigToBytes(q.ThresholdWeight),
		ThresholdWeightKnown: q.ThresholdWeight != nil,
	}
}

func quorumFromPB(p *pb.QuorumResponse) Quorum {
	weights := make([]*big.Int, len(p.GetWeights()))
	for i, w := range p.GetWeights() {
		weights[i] = new(big.Int).SetBytes(w)
	}
	q := Quorum{Weights: weights}
	if p.GetTotalKnown() {
		q.TotalWeight = new(big.Int).SetBytes(p.GetTotalWeight())
	}
	// A fraction is known only whole.
	if p.GetThresholdDenominator() != 0 {
		q.ThresholdNumerator, q.ThresholdDenominator = p.GetThresholdNumerator(), p.GetThresholdDenominator()
	}
	if p.GetThresholdWeightKnown() {
		q.ThresholdWeight = new(big.Int).SetBytes(p.GetThresholdWeight())
	}
	return q
}

func landingQueryToPB(q LandingQuery) *pb.LandingQuery {
	out := &pb.LandingQuery{Chain: q.Chain, Handler: q.Handler, EventId: q.EventID[:], FromBlock: q.FromBlock}
	if q.TxHash != (Hash{}) {
		out.TxHash = q.TxHash[:]
	}
	return out
}

func landingQueryFromPB(p *pb.LandingQuery) (LandingQuery, error) {
	q := LandingQuery{Chain: p.GetChain(), Handler: p.GetHandler(), FromBlock: p.GetFromBlock()}
	if err := fixed(q.EventID[:], p.GetEventId(), "event_id"); err != nil {
		return q, err
	}
	if len(p.GetTxHash()) > 0 {
		if err := fixed(q.TxHash[:], p.GetTxHash(), "tx_hash"); err != nil {
			return q, err
		}
	}
	return q, nil
}

func landingToPB(l Landing) *pb.LandingResponse {
	out := &pb.LandingResponse{Found: l.Found, BlockNumber: l.BlockNumber, Reason: l.Reason, ScannedTo: l.ScannedTo, Final: l.Final, Pending: l.Pending}
	if l.TxHash != (Hash{}) {
		out.TxHash = l.TxHash[:]
	}
	if l.BlockHash != (Hash{}) {
		out.BlockHash = l.BlockHash[:]
	}
	if l.EnvelopeHash != (Hash{}) {
		out.EnvelopeHash = l.EnvelopeHash[:]
	}
	return out
}

func landingFromPB(p *pb.LandingResponse) (Landing, error) {
	l := Landing{Found: p.GetFound(), BlockNumber: p.GetBlockNumber(), Reason: p.GetReason(), ScannedTo: p.GetScannedTo(), Final: p.GetFinal(), Pending: p.GetPending()}
	if len(p.GetBlockHash()) > 0 {
		if err := fixed(l.BlockHash[:], p.GetBlockHash(), "block_hash"); err != nil {
			return l, err
		}
	}
	if len(p.GetTxHash()) > 0 {
		if err := fixed(l.TxHash[:], p.GetTxHash(), "tx_hash"); err != nil {
			return l, err
		}
	}
	if len(p.GetEnvelopeHash()) > 0 {
		if err := fixed(l.EnvelopeHash[:], p.GetEnvelopeHash(), "envelope_hash"); err != nil {
			return l, err
		}
	}
	if l.Found && l.TxHash == (Hash{}) {
		return l, fmt.Errorf("%w: a landing found without its transaction hash", ErrInvalidArgument)
	}
	return l, nil
}

func operatorSetToPB(o OperatorSet) *pb.OperatorSetResponse {
	out := &pb.OperatorSetResponse{
		Scheme: string(o.Scheme), TotalWeight: bigToBytes(o.TotalWeight),
		ThresholdNumerator: o.ThresholdNumerator, ThresholdDenominator: o.ThresholdDenominator,
		ThresholdWeight: bigToBytes(o.ThresholdWeight),
	}
	for _, op := range o.Operators {
		out.Operators = append(out.Operators, &pb.Operator{Signer: op.Signer, Weight: bigToBytes(op.Weight)})
	}
	return out
}

func operatorSetFromPB(p *pb.OperatorSetResponse) OperatorSet {
	o := OperatorSet{Scheme: Scheme(p.GetScheme())}
	for _, op := range p.GetOperators() {
		o.Operators = append(o.Operators, Operator{Signer: op.GetSigner(), Weight: new(big.Int).SetBytes(op.GetWeight())})
	}
	if len(p.GetTotalWeight()) > 0 {
		o.TotalWeight = new(big.Int).SetBytes(p.GetTotalWeight())
	}
	if p.GetThresholdDenominator() != 0 {
		o.ThresholdNumerator, o.ThresholdDenominator = p.GetThresholdNumerator(), p.GetThresholdDenominator()
	}
	if len(p.GetThresholdWeight()) > 0 {
		o.ThresholdWeight = new(big.Int).SetBytes(p.GetThresholdWeight())
	}
	return o
}
