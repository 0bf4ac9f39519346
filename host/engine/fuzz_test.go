package engine

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecodeOutput: the output decoder never panics, and what it accepts
// encodes and decodes back to the same responses.
func FuzzDecodeOutput(f *testing.F) {
	for _, s := range []string{
		`{"responses":[]}`,
		`{"responses":[{"payload":"0x0102","event_id_salt":"0xff"},{"payload":"0x"}]}`,
		`{"error":"boom"}`,
		`{"responses":[{"payload":"0x01"}],"error":"x"}`,
		`{"responses":null}`,
		`{"responses":[{}]}`,
		"{\"responses\":[{\"payload\":\"0x\u00e9\"}]}",
		`[]`, `""`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		resps, err := decodeOutput(b)
		if err != nil {
			return
		}
		enc, err := encodeOutput(resps)
		if err != nil {
			t.Fatalf("encode %+v: %v", resps, err)
		}
		again, err := decodeOutput(enc)
		if err != nil {
			t.Fatalf("decode %s: %v", enc, err)
		}
		if len(again) != len(resps) {
			t.Fatalf("%d responses became %d", len(resps), len(again))
		}
		for i := range resps {
			if !bytes.Equal(resps[i].Payload, again[i].Payload) || !bytes.Equal(resps[i].EventIDSalt, again[i].EventIDSalt) {
				t.Fatalf("response %d: %+v became %+v", i, resps[i], again[i])
			}
		}
	})
}

// FuzzParseTriggerJSON: the trigger parser never panics, and what it
// accepts encodes to JSON that parses to the same trigger.
func FuzzParseTriggerJSON(f *testing.F) {
	for _, tr := range sampleTriggers() {
		b, err := tr.MarshalJSON()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `null`, `{"raw":{"data":"0xABCD"}}`, `{"raw":{"data":"0x"},"cron":{"unix_nano":1}}`,
		`{"cron":{"unix_nano":-9223372036854775808}}`, `{"block_interval":{"chain":"x","block_number":18446744073709551615,"block_hash":"0x00"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := ParseTriggerJSON(b)
		if err != nil {
			return
		}
		enc, err := tr.MarshalJSON()
		if err != nil {
			t.Fatalf("encode %+v: %v", tr, err)
		}
		again, err := ParseTriggerJSON(enc)
		if err != nil {
			t.Fatalf("parse %s: %v", enc, err)
		}
		if !reflect.DeepEqual(tr, again) {
			t.Fatalf("%s: %+v became %+v", enc, tr, again)
		}
	})
}
