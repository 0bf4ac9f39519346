package signer

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

func TestSortSigners(t *testing.T) {
	a := func(b ...byte) [20]byte { var x [20]byte; copy(x[:], b); return x }
	last := func(b byte) [20]byte { var x [20]byte; x[19] = b; return x }
	lo, mid, hi := a(0x01), a(0x01, 0x02), a(0xf0)
	cases := []struct {
		name     string
		addrs    [][20]byte
		sigs     [][]byte
		want     [][20]byte
		wantSigs [][]byte
		wantErr  string
	}{
		{"empty", nil, nil, nil, nil, ""},
		{"one", [][20]byte{hi}, [][]byte{{3}}, [][20]byte{hi}, [][]byte{{3}}, ""},
		{"sorted", [][20]byte{lo, mid, hi}, [][]byte{{1}, {2}, {3}}, [][20]byte{lo, mid, hi}, [][]byte{{1}, {2}, {3}}, ""},
		{"reversed", [][20]byte{hi, mid, lo}, [][]byte{{3}, {2}, {1}}, [][20]byte{lo, mid, hi}, [][]byte{{1}, {2}, {3}}, ""},
		{"shuffled", [][20]byte{mid, hi, lo}, [][]byte{{2}, {3}, {1}}, [][20]byte{lo, mid, hi}, [][]byte{{1}, {2}, {3}}, ""},
		{"last byte decides", [][20]byte{last(2), last(1)}, [][]byte{{2}, {1}}, [][20]byte{last(1), last(2)}, [][]byte{{1}, {2}}, ""},
		{"duplicate", [][20]byte{hi, lo, hi}, [][]byte{{3}, {1}, {4}}, nil, nil, "duplicate signer 0x"},
		{"length mismatch", [][20]byte{lo, hi}, [][]byte{{1}}, nil, nil, "2 signers but 1 signatures"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addrs, sigs := slices.Clone(c.addrs), slices.Clone(c.sigs)
			err := SortSigners(addrs, sigs)
			if c.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), "signer: sort signers: ") || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				if !slices.Equal(addrs, c.addrs) {
					t.Error("input changed on error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(addrs, c.want) {
				t.Errorf("signers = %x, want %x", addrs, c.want)
			}
			if !slices.EqualFunc(sigs, c.wantSigs, func(x, y []byte) bool { return string(x) == string(y) }) {
				t.Errorf("signatures = %x, want %x", sigs, c.wantSigs)
			}
		})
	}

	// sdk.Address works too, and duplicates wrap ErrDuplicateSigner.
	sdkAddrs := []sdk.Address{sdk.Address(hi), sdk.Address(hi)}
	if err := SortSigners(sdkAddrs, [][]byte{{1}, {2}}); !errors.Is(err, ErrDuplicateSigner) {
		t.Errorf("sdk.Address duplicate: %v", err)
	}
}
