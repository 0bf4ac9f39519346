package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{"ws://localhost:8546/", "ws://localhost:8546/"},
		{"https://user:pass@rpc.example.com/", "https://REDACTED@rpc.example.com/"},
		{"https://user@rpc.example.com", "https://REDACTED@rpc.example.com"},
		{"https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUv", "https://eth-mainnet.g.alchemy.com/v2/REDACTED"},
		{"wss://mainnet.infura.io/ws/v3/9aa3d95b3bc440fa88ea12eaa4456161", "wss://mainnet.infura.io/ws/v3/REDACTED"},
		{"https://x.quiknode.pro/abc123def/", "https://x.quiknode.pro/REDACTED/"},
		{"https://api.avax.network/ext/bc/C/rpc", "https://api.avax.network/ext/bc/C/rpc"},
		{"https://rpc.example.com/mainnet?apikey=s3cr3t&x=1", "https://rpc.example.com/mainnet?apikey=REDACTED&x=REDACTED"},
		{"https://rpc.example.com/#token=abc", "https://rpc.example.com/"},
		{"http://[::1]:8545/", "http://[::1]:8545/"},
		{"not a url", "<unparsable URL>"},
		{"", "<unparsable URL>"},
		{"http://a b", "<unparsable URL>"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no urls here", "no urls here"},
		{`dial "wss://u:p@h.example/v3/9aa3d95b3bc440fa88ea12eaa4456161": refused.`, `dial "wss://REDACTED@h.example/v3/REDACTED": refused.`},
		{"Post https://h.example/?key=abc, retrying", "Post https://h.example/?key=REDACTED, retrying"},
		{"(http://u:p@h:1)", "(http://REDACTED@h:1)"},
		{"two: http://a/x?k=1 and ws://b:2/AbCdEfGhIjKlMnOpQrSt", "two: http://a/x?k=REDACTED and ws://b:2/REDACTED"},
	}
	for _, tt := range tests {
		got := Text(tt.in)
		if got != tt.want {
			t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		for _, secret := range []string{"u:p", "abc", "9aa3d95b"} {
			if strings.Contains(tt.in, secret) && strings.Contains(got, secret) {
				t.Errorf("Text(%q) = %q still holds %q", tt.in, got, secret)
			}
		}
	}
}
