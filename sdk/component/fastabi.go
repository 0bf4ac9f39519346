package component

import (
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// A fast path for the ABI's JSON: encoding/json decodes the input with a
// function call per byte and reflection per field, which in a wasm guest
// (where the node checks for its time limit at every loop iteration)
// costs more than the rest of a small handler. parseInput reads the input
// as a host writes it, with exactly the known keys, each once and not
// null; DecodeInput hands anything else to encoding/json, which decides.
// So the fast path gives the same Input as encoding/json whenever it
// answers (FuzzDecodeInputFastPath checks that), and never an error of
// its own.

// jsonCursor reads JSON from b; ok turns false at the first thing it does
// not handle.
type jsonCursor struct {
	b  []byte
	i  int
	ok bool
}

func (c *jsonCursor) fail() { c.ok = false }

// ws skips JSON whitespace.
func (c *jsonCursor) ws() {
	for c.i < len(c.b) {
		switch c.b[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// byte consumes ch, after whitespace, or fails.
func (c *jsonCursor) byte(ch byte) {
	c.ws()
	if !c.ok || c.i >= len(c.b) || c.b[c.i] != ch {
		c.fail()
		return
	}
	c.i++
}

// peek is the next byte after whitespace, 0 at the end.
func (c *jsonCursor) peek() byte {
	c.ws()
	if c.i >= len(c.b) {
		return 0
	}
	return c.b[c.i]
}

// str reads a string: valid UTF-8, no control characters, escapes other
// than surrogates decoded.
func (c *jsonCursor) str() string {
	c.byte('"')
	if !c.ok {
		return ""
	}
	start := c.i
	for c.i < len(c.b) {
		switch ch := c.b[c.i]; {
		case ch == '"':
			s := c.b[start:c.i]
			c.i++
			if !utf8.Valid(s) {
				c.fail() // encoding/json replaces invalid bytes
				return ""
			}
			return string(s)
		case ch == '\\':
			return c.escaped(start)
		case ch < 0x20:
			c.fail()
			return ""
		default:
			c.i++
		}
	}
	c.fail()
	return ""
}

// escaped finishes a string that starts at start and has an escape at
// c.i.
func (c *jsonCursor) escaped(start int) string {
	out := append([]byte(nil), c.b[start:c.i]...)
	for c.i < len(c.b) {
		ch := c.b[c.i]
		switch {
		case ch == '"':
			c.i++
			if !utf8.Valid(out) {
				c.fail()
				return ""
			}
			return string(out)
		case ch < 0x20:
			c.fail()
			return ""
		case ch != '\\':
			out = append(out, ch)
			c.i++
			continue
		}
		if c.i+1 >= len(c.b) {
			c.fail()
			return ""
		}
		e := c.b[c.i+1]
		c.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if c.i+4 > len(c.b) {
				c.fail()
				return ""
			}
			v, err := strconv.ParseUint(string(c.b[c.i:c.i+4]), 16, 16)
			if err != nil || (v >= 0xd800 && v <= 0xdfff) {
				c.fail() // surrogates: encoding/json pairs or replaces them
				return ""
			}
			out = utf8.AppendRune(out, rune(v))
			c.i += 4
		default:
			c.fail()
			return ""
		}
	}
	c.fail()
	return ""
}

// digits reads the digits of a JSON integer (no fraction or exponent).
func (c *jsonCursor) digits() string {
	c.ws()
	start := c.i
	if c.i < len(c.b) && c.b[c.i] == '-' {
		c.i++
	}
	d := c.i
	for c.i < len(c.b) && c.b[c.i] >= '0' && c.b[c.i] <= '9' {
		c.i++
	}
	switch {
	case c.i == d, c.b[d] == '0' && c.i > d+1:
		c.fail()
	case c.i < len(c.b) && (c.b[c.i] == '.' || c.b[c.i] == 'e' || c.b[c.i] == 'E'):
		c.fail()
	}
	return string(c.b[start:c.i])
}

func (c *jsonCursor) uint(bits int) uint64 {
	s := c.digits()
	if !c.ok {
		return 0
	}
	v, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		c.fail()
	}
	return v
}

func (c *jsonCursor) int(bits int) int64 {
	s := c.digits()
	if !c.ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		c.fail()
	}
	return v
}

// hex reads a hex string as abi.Hex.UnmarshalJSON would take it.
func (c *jsonCursor) hex() abi.Hex {
	s := c.str()
	if !c.ok {
		return nil
	}
	if len(s) < 2 || s[0] != '0' || s[1] != 'x' {
		c.fail()
		return nil
	}
	v, err := hex.DecodeString(s[2:])
	if err != nil {
		c.fail()
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	return v
}

// object reads an object, calling field for each key; field must read the
// value (or fail). A key seen twice fails: encoding/json would keep the
// last.
func (c *jsonCursor) object(field func(key string)) {
	c.byte('{')
	if c.peek() == '}' {
		c.i++
		return
	}
	var seen []string
	for c.ok {
		key := c.str()
		for _, k := range seen {
			if k == key {
				c.fail()
			}
		}
		seen = append(seen, key)
		c.byte(':')
		if !c.ok {
			return
		}
		if c.peek() == 'n' {
			c.fail() // null: encoding/json leaves the field as it is
			return
		}
		field(key)
		switch c.peek() {
		case ',':
			c.i++
		case '}':
			c.i++
			return
		default:
			c.fail()
		}
	}
}

// array reads an array, calling elem for each element.
func (c *jsonCursor) array(elem func()) {
	c.byte('[')
	if c.peek() == ']' {
		c.i++
		return
	}
	for c.ok {
		if c.peek() == 'n' {
			c.fail()
			return
		}
		elem()
		switch c.peek() {
		case ',':
			c.i++
		case ']':
			c.i++
			return
		default:
			c.fail()
		}
	}
}

// parseInput reads the input object into j, or reports false.
func parseInput(b []byte) (j abi.Input, ok bool) {
	c := &jsonCursor{b: b, ok: true}
	c.object(func(key string) {
		switch key {
		case "abi":
			j.ABI = int(c.int(64))
		case "service_id":
			j.ServiceID = c.str()
		case "workflow_id":
			j.WorkflowID = c.str()
		case "trigger":
			c.trigger(&j.Trigger)
		case "config":
			j.Config = map[string]string{}
			c.object(func(k string) { j.Config[k] = c.str() })
		case "chains":
			j.Chains = map[string]abi.Chain{}
			c.object(func(k string) {
				var ch abi.Chain
				c.object(func(key string) {
					switch key {
					case "chain_id":
						ch.ChainID = c.str()
					case "http_endpoint":
						ch.HTTPEndpoint = c.str()
					case "ws_endpoints":
						ch.WSEndpoints = []string{}
						c.array(func() { ch.WSEndpoints = append(ch.WSEndpoints, c.str()) })
					default:
						c.fail()
					}
				})
				j.Chains[k] = ch
			})
		default:
			c.fail()
		}
	})
	return j, c.ok
}

func (c *jsonCursor) trigger(t *abi.Trigger) {
	c.object(func(key string) {
		switch key {
		case "evm_contract_event":
			l := &abi.EvmLog{}
			t.EvmLog = l
			c.object(func(key string) {
				switch key {
				case "chain":
					l.Chain = c.str()
				case "address":
					l.Address = c.hex()
				case "topics":
					l.Topics = []abi.Hex{}
					c.array(func() { l.Topics = append(l.Topics, c.hex()) })
				case "data":
					l.Data = c.hex()
				case "block_number":
					l.BlockNumber = c.uint(64)
				case "block_hash":
					l.BlockHash = c.hex()
				case "tx_hash":
					l.TxHash = c.hex()
				case "tx_index":
					l.TxIndex = uint32(c.uint(32))
				case "log_index":
					l.LogIndex = uint32(c.uint(32))
				case "block_timestamp":
					l.BlockTimestamp = c.uint(64)
				default:
					c.fail()
				}
			})
		case "block_interval":
			b := &abi.Block{}
			t.Block = b
			c.object(func(key string) {
				switch key {
				case "chain":
					b.Chain = c.str()
				case "block_number":
					b.BlockNumber = c.uint(64)
				case "block_hash":
					b.BlockHash = c.hex()
				default:
					c.fail()
				}
			})
		case "cron":
			t.Cron = &abi.Cron{}
			c.object(func(key string) {
				if key != "unix_nano" {
					c.fail()
				}
				t.Cron.UnixNano = c.int(64)
			})
		case "raw":
			t.Raw = &abi.Raw{}
			c.object(func(key string) {
				if key != "data" {
					c.fail()
				}
				t.Raw.Data = c.hex()
			})
		default:
			c.fail()
		}
	})
}

// appendOutput is EncodeOutput's JSON for resps, as encoding/json writes
// it.
func appendOutput(b []byte, resps []Response) []byte {
	b = append(b, `{"responses":[`...)
	for i, r := range resps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"payload":"0x`...)
		b = hex.AppendEncode(b, r.Payload)
		b = append(b, '"')
		if len(r.EventIDSalt) > 0 {
			b = append(b, `,"event_id_salt":"0x`...)
			b = hex.AppendEncode(b, r.EventIDSalt)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
