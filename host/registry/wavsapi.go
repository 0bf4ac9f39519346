package registry

// What the API's WAVS routes ask of the registry: services by their
// manager, the signing key of a service, service JSONs saved for local
// development, and simulated triggers.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// ManagerID is the id of the service whose service manager is address on
// chain, of any chain family; sdk.ErrInvalidArgument names the field that
// is malformed.
func ManagerID(chain, address string) (string, error) {
	if !service.ValidChainKey(chain) {
		return "", fmt.Errorf("%w: chain %q: want a chain key like evm:31337", sdk.ErrInvalidArgument, chain)
	}
	var m service.Manager
	switch family := service.ChainFamily(chain); family {
	case "evm":
		a, err := service.ParseAddress(address)
		if err != nil {
			return "", fmt.Errorf("%w: address %q: %v", sdk.ErrInvalidArgument, address, err)
		}
		m.Evm = &service.EvmManager{Chain: chain, Address: a}
	case "cosmos":
		m.Cosmos = &service.CosmosManager{Chain: chain, Address: address}
	default:
		if !service.ValidFamilyAddress(address) {
			return "", fmt.Errorf("%w: address %q: want 1..128 printable ASCII characters without spaces", sdk.ErrInvalidArgument, address)
		}
		m.Other = &service.FamilyManager{Family: family, Chain: chain, Address: address}
	}
	id := (&service.Service{Manager: m}).ID()
	if id == "" {
		return "", fmt.Errorf("%w: address %q is not an address of the %s family", sdk.ErrInvalidArgument, address, service.ChainFamily(chain))
	}
	return id, nil
}

// byManager reads the stored service of a manager.
func (r *Registry) byManager(ctx context.Context, chain, address string) (store.ServiceRecord, error) {
	id, err := ManagerID(chain, address)
	if err != nil {
		return store.ServiceRecord{}, err
	}
	rec, ok, err := r.o.Store.GetService(ctx, id)
	if err != nil {
		return rec, err
	}
	if !ok {
		return rec, fmt.Errorf("%w: no service is registered with manager %s on %s (service id %s)", sdk.ErrNotFound, address, chain, id)
	}
	return rec, nil
}

// ServiceByManager is the service JSON (the WAVS 2.x shape, as
// service.Service marshals it) of the registered service whose manager
// is address on chain; sdk.ErrNotFound when there is none.
func (r *Registry) ServiceByManager(ctx context.Context, chain, address string) ([]byte, error) {
	rec, err := r.byManager(ctx, chain, address)
	if err != nil {
		return nil, err
	}
	svc, err := service.Decode(rec.Service)
	if err != nil {
		return nil, fmt.Errorf("service %s: the stored service JSON does not decode: %w", rec.ID, err)
	}
	return json.Marshal(svc)
}

// SignerInfo is the key a service signs with: its HD index and address.
// With a hex key (no mnemonic) every service signs with the operator key,
// whatever its index.
type SignerInfo struct {
	HDIndex    uint32
	EvmAddress string
}

// ServiceSigner tells which key the service whose manager is address on
// chain signs with; never the key itself.
func (r *Registry) ServiceSigner(ctx context.Context, chain, address string) (SignerInfo, error) {
	rec, err := r.byManager(ctx, chain, address)
	if err != nil {
		return SignerInfo{}, err
	}
	r.mu.RLock()
	e := r.services[rec.ID]
	r.mu.RUnlock()
	if e != nil {
		return SignerInfo{HDIndex: rec.SigningIndex, EvmAddress: e.key.AddressHex()}, nil
	}
	if r.o.Signer == nil {
		return SignerInfo{}, fmt.Errorf("%w: the node has no signing key", sdk.ErrUnavailable)
	}
	key, err := r.o.Signer.ForService(rec.SigningIndex)
	if err != nil {
		return SignerInfo{}, fmt.Errorf("service %s: %w", rec.ID, err)
	}
	return SignerInfo{HDIndex: rec.SigningIndex, EvmAddress: key.AddressHex()}, nil
}

// devHash is the hash of a saved service JSON: 64 lowercase hex digits.
var devHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SaveDevService checks a service JSON (service.Decode) and saves the
// node's canonical form of it (json.Marshal of the decoded service) for
// GET /dev/services/{hash}. The hash is the hex sha256 of those bytes:
// the node's own digest, not byte for byte the one WAVS computes over its
// serde_json form.
func (r *Registry) SaveDevService(ctx context.Context, raw []byte) (string, error) {
	svc, err := service.Decode(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	canon, err := json.Marshal(svc)
	if err != nil {
		return "", fmt.Errorf("marshal the service: %w", err)
	}
	hash, err := r.o.Store.PutDevService(ctx, canon)
	if errors.Is(err, store.ErrInvalid) {
		return "", fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	return hash, err
}

// DevService is a service JSON saved with SaveDevService, as saved.
func (r *Registry) DevService(ctx context.Context, hash string) ([]byte, error) {
	if !devHash.MatchString(hash) {
		return nil, fmt.Errorf("%w: hash %q: want 64 lowercase hex digits", sdk.ErrInvalidArgument, hash)
	}
	raw, _, ok, err := r.o.Store.DevService(ctx, hash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: no service JSON saved with hash %s (POST /dev/services saves one)", sdk.ErrNotFound, hash)
	}
	return raw, nil
}

// AddDevService registers a saved service JSON, as Add does (with the
// same check against its manager unless DevMode).
func (r *Registry) AddDevService(ctx context.Context, hash string) (Info, error) {
	raw, err := r.DevService(ctx, hash)
	if err != nil {
		return Info{}, err
	}
	return r.Add(ctx, raw)
}

// devServicePath is the API path of a saved service JSON.
var devServicePath = regexp.MustCompile(`^/dev/services/([0-9a-f]{64})$`)

// localDevService reads a service URI that names a saved service JSON on
// a loopback address, http://127.0.0.1:<port>/dev/services/<hash>, from
// the store instead of fetching it (the address guard refuses loopback
// and the node's own API). Only with DevEndpoints, and only when the
// document is here; the bytes are those whose sha256 the URI names, so
// any node serving that path serves the same. ok is false when the URI
// is not such a document: it is fetched as any other.
func (r *Registry) localDevService(ctx context.Context, uri string) ([]byte, fetched, bool, error) {
	var meta fetched
	if !r.o.DevEndpoints {
		return nil, meta, false, nil
	}
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !loopbackHost(u.Hostname()) {
		return nil, meta, false, nil
	}
	m := devServicePath.FindStringSubmatch(u.Path)
	if m == nil {
		return nil, meta, false, nil
	}
	raw, _, ok, err := r.o.Store.DevService(ctx, m[1])
	if err != nil || !ok {
		return nil, meta, false, err
	}
	r.log.Debug("service URI read from the saved dev services", "hash", m[1])
	return raw, fetched{status: 200, size: len(raw), contentType: "application/json"}, true, nil
}

func loopbackHost(h string) bool {
	if strings.EqualFold(strings.TrimSuffix(h, "."), "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.Unmap().IsLoopback()
}

// MaxSimulatedCount bounds SimulatedTrigger.Count.
const MaxSimulatedCount = 100

// simulatedCursor is the trigger cursor of a simulated firing's results.
const simulatedCursor = "simulated"

// SimulatedTrigger is WAVS's POST /dev/triggers: Count firings of a
// workflow with the given trigger data.
type SimulatedTrigger struct {
	ServiceID  string
	WorkflowID string
	Data       engine.Trigger
	// Count is how many firings, 1..MaxSimulatedCount (0 is 1).
	Count int
	// Wait runs them before returning; otherwise they run in the
	// background and SimulateTrigger returns at once.
	Wait bool
}

// SimulationReport is what simulated firings that were waited for did:
// the event ids of their stored results (0x hex; firings with the same
// data have the same event id, stored once) and their errors.
type SimulationReport struct {
	EventIDs []string `json:"event_ids"`
	Errors   []string `json:"errors,omitempty"`
}

// SimulateTrigger fires a registered service's workflow with the given
// trigger data through the same steps as a plugin's event (execute, event
// id, sign, store, submission) but for the acknowledgement: there is no
// plugin and no cursor. A service paused or marked failed is refused.
func (r *Registry) SimulateTrigger(ctx context.Context, st SimulatedTrigger) (SimulationReport, error) {
	rep := SimulationReport{EventIDs: []string{}}
	if st.Count == 0 {
		st.Count = 1
	}
	if st.Count < 0 || st.Count > MaxSimulatedCount {
		return rep, fmt.Errorf("%w: count %d: want 1..%d", sdk.ErrInvalidArgument, st.Count, MaxSimulatedCount)
	}
	if err := st.Data.Validate(); err != nil {
		return rep, fmt.Errorf("%w: data: %v", sdk.ErrInvalidArgument, err)
	}
	r.mu.RLock()
	e := r.services[st.ServiceID]
	r.mu.RUnlock()
	if e == nil {
		return rep, fmt.Errorf("%w: service_id: service %q is not registered (or not active)", sdk.ErrNotFound, st.ServiceID)
	}
	if _, ok := e.svc.Workflows[st.WorkflowID]; !ok {
		return rep, fmt.Errorf("%w: workflow_id: service %s has no workflow %q (it has %s)", sdk.ErrNotFound, e.id, st.WorkflowID, strings.Join(sortedKeys(e.svc.Workflows), ", "))
	}
	if e.svc.Status == service.StatusPaused {
		return rep, fmt.Errorf("%w: service %s is paused", sdk.ErrInvalidArgument, e.id)
	}
	if _, failed, _ := e.health.snapshot(); failed {
		return rep, fmt.Errorf("%w: service %s is marked failed; POST /services/%s/reset first", sdk.ErrInvalidArgument, e.id, e.id)
	}
	log := r.log.With("service", e.id, "workflow", st.WorkflowID, "trigger", "simulated")
	run := func(ctx context.Context, rep *SimulationReport) error {
		for range st.Count {
			r.o.Observer.TriggerReceived(e.id)
			ids, again, problem := r.fire(ctx, log, e, st.WorkflowID, st.Data, simulatedCursor)
			for _, id := range ids {
				rep.EventIDs = append(rep.EventIDs, "0x"+id.String())
			}
			if problem != nil {
				rep.Errors = append(rep.Errors, problem.Error())
			}
			if again {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("simulated trigger: %w", err)
				}
				return fmt.Errorf("simulated trigger: %w", problem)
			}
		}
		return nil
	}
	if st.Wait {
		err := run(ctx, &rep)
		return rep, err
	}
	r.mu.Lock()
	bg := r.runCtx
	if bg == nil || r.runDone || bg.Err() != nil {
		r.mu.Unlock()
		return rep, fmt.Errorf("%w: the node is not running triggers", sdk.ErrUnavailable)
	}
	r.sims.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.sims.Done()
		start := time.Now()
		if err := run(bg, &SimulationReport{}); err != nil {
			log.Warn("simulated trigger stopped", "error", err)
			return
		}
		log.Debug("simulated trigger done", "count", st.Count, "took", time.Since(start).Round(time.Millisecond))
	}()
	return rep, nil
}

// ParseTriggerData decodes WAVS's TriggerData JSON (serde's externally
// tagged form) into the engine's trigger:
//
//	{"Raw": [1, 2, 3]}
//	{"EvmContractEvent": {"chain": "evm:31337", "contract_address": "0x…",
//	  "log_data": {"topics": ["0x…"], "data": "0x…"}, "tx_hash": "0x…",
//	  "block_number": 7, "log_index": 0, "block_hash": "0x…",
//	  "block_timestamp": 1700000000 | null, "tx_index": 0}}
//	{"BlockInterval": {"chain": "evm:31337", "block_height": 7}}
//	{"Cron": {"trigger_time": <unix nanoseconds>}}
//
// The tags may also be written in snake_case (raw, evm_contract_event,
// block_interval, cron). Errors name the field.
func ParseTriggerData(raw []byte) (engine.Trigger, error) {
	var t engine.Trigger
	var tagged map[string]json.RawMessage
	if err := json.Unmarshal(raw, &tagged); err != nil || len(tagged) != 1 {
		return t, errors.New(`want an object with one key: Raw, EvmContractEvent, BlockInterval or Cron`)
	}
	for tag, body := range tagged {
		switch tag {
		case "Raw", "raw":
			var nums []json.Number
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.UseNumber()
			if err := dec.Decode(&nums); err != nil || nums == nil {
				return t, fmt.Errorf("%s: want an array of bytes (numbers 0..255)", tag)
			}
			b := make([]byte, len(nums))
			for i, n := range nums {
				v, err := n.Int64()
				if err != nil || v < 0 || v > 255 {
					return t, fmt.Errorf("%s[%d]: %s: want a number 0..255", tag, i, n)
				}
				b[i] = byte(v)
			}
			t.Raw = b
		case "EvmContractEvent", "evm_contract_event":
			l, err := parseEvmEvent(tag, body)
			if err != nil {
				return t, err
			}
			t.EvmLog = l
		case "BlockInterval", "block_interval":
			var j struct {
				Chain       *string `json:"chain"`
				BlockHeight *uint64 `json:"block_height"`
			}
			if err := json.Unmarshal(body, &j); err != nil {
				return t, fmt.Errorf("%s: %v", tag, err)
			}
			if j.Chain == nil || !service.ValidChainKey(*j.Chain) {
				return t, fmt.Errorf("%s.chain: want a chain key like evm:31337", tag)
			}
			if j.BlockHeight == nil {
				return t, fmt.Errorf("%s.block_height: missing", tag)
			}
			t.Block = &sdk.BlockTick{Chain: *j.Chain, BlockNumber: *j.BlockHeight}
		case "Cron", "cron":
			var j struct {
				TriggerTime *uint64 `json:"trigger_time"`
			}
			if err := json.Unmarshal(body, &j); err != nil {
				return t, fmt.Errorf("%s: %v", tag, err)
			}
			if j.TriggerTime == nil || *j.TriggerTime > 1<<63-1 {
				return t, fmt.Errorf("%s.trigger_time: want unix nanoseconds", tag)
			}
			t.Cron = &sdk.CronTick{Time: time.Unix(0, int64(*j.TriggerTime)).UTC()}
		default:
			return t, fmt.Errorf("%q: want one of Raw, EvmContractEvent, BlockInterval, Cron", tag)
		}
	}
	return t, nil
}

func parseEvmEvent(tag string, body []byte) (*sdk.EvmLog, error) {
	var j struct {
		Chain           *string `json:"chain"`
		ContractAddress *string `json:"contract_address"`
		LogData         *struct {
			Topics []string `json:"topics"`
			Data   *string  `json:"data"`
		} `json:"log_data"`
		TxHash         *string `json:"tx_hash"`
		BlockNumber    *uint64 `json:"block_number"`
		LogIndex       *uint64 `json:"log_index"`
		BlockHash      *string `json:"block_hash"`
		BlockTimestamp *uint64 `json:"block_timestamp"`
		TxIndex        *uint64 `json:"tx_index"`
	}
	if err := json.Unmarshal(body, &j); err != nil {
		return nil, fmt.Errorf("%s: %v", tag, err)
	}
	l := &sdk.EvmLog{Data: []byte{}}
	if j.Chain == nil || !service.ValidChainKey(*j.Chain) {
		return nil, fmt.Errorf("%s.chain: want a chain key like evm:31337", tag)
	}
	l.Chain = *j.Chain
	if err := fixedHex(l.Address[:], j.ContractAddress, tag+".contract_address"); err != nil {
		return nil, err
	}
	if j.LogData == nil {
		return nil, fmt.Errorf("%s.log_data: missing", tag)
	}
	for i, topic := range j.LogData.Topics {
		var h sdk.Hash
		if err := fixedHex(h[:], &topic, fmt.Sprintf("%s.log_data.topics[%d]", tag, i)); err != nil {
			return nil, err
		}
		l.Topics = append(l.Topics, h)
	}
	if j.LogData.Data != nil {
		b, err := hex.DecodeString(strings.TrimPrefix(*j.LogData.Data, "0x"))
		if err != nil {
			return nil, fmt.Errorf("%s.log_data.data: want 0x hex", tag)
		}
		l.Data = b
	}
	if err := fixedHex(l.TxHash[:], j.TxHash, tag+".tx_hash"); err != nil {
		return nil, err
	}
	if err := fixedHex(l.BlockHash[:], j.BlockHash, tag+".block_hash"); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		v    *uint64
	}{{"block_number", j.BlockNumber}, {"log_index", j.LogIndex}, {"tx_index", j.TxIndex}} {
		if f.v == nil {
			return nil, fmt.Errorf("%s.%s: missing", tag, f.name)
		}
	}
	if *j.LogIndex > 1<<32-1 || *j.TxIndex > 1<<32-1 {
		return nil, fmt.Errorf("%s: log_index and tx_index must be below 2^32", tag)
	}
	l.BlockNumber, l.LogIndex, l.TxIndex = *j.BlockNumber, uint32(*j.LogIndex), uint32(*j.TxIndex)
	if j.BlockTimestamp != nil {
		l.BlockTimestamp = *j.BlockTimestamp
	}
	return l, nil
}

// fixedHex decodes 0x hex of exactly len(dst) bytes.
func fixedHex(dst []byte, s *string, field string) error {
	if s == nil {
		return fmt.Errorf("%s: missing", field)
	}
	b, err := hex.DecodeString(strings.TrimPrefix(*s, "0x"))
	if err != nil || len(b) != len(dst) {
		return fmt.Errorf("%s: want %d bytes of 0x hex", field, len(dst))
	}
	copy(dst, b)
	return nil
}
