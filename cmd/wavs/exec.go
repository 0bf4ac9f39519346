package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
)

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func execCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exec", "exec --component FILE.wasm --input JSON-or-FILE [--config k=v ...] [--env WAVS_ENV_X=v ...] [--http all|none|host,...] [--outbound-allow CIDR,...] [--time-limit 30s] [--json]", stdout, stderr)
	component := fs.String("component", "", "the component to run: a WAVS component (wavs:operator@2.x) or a wasip1 module; required")
	input := fs.String("input", "", "the trigger: a JSON trigger object (see docs/components.md), a file holding one, or any other text, passed as raw bytes")
	var configs, envs multiFlag
	fs.Var(&configs, "config", "a config variable k=v for the component (repeatable)")
	fs.Var(&envs, "env", "an environment variable WAVS_ENV_NAME=value for the component (repeatable)")
	httpPolicy := fs.String("http", "none", `hosts the component may call: "all", "none", or a comma-separated list`)
	outboundAllow := fs.String("outbound-allow", "", `address ranges the component may reach although loopback or private, e.g. "127.0.0.0/8" (as [wavs] outbound_allow)`)
	timeLimit := fs.Duration("time-limit", 30*time.Second, "wall-time limit of the execution")
	asJSON := fs.Bool("json", false, "print the responses as JSON")
	logLevel := fs.String("log-level", "info", "level of the component's log lines on stderr")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *component == "" {
		fmt.Fprintln(stderr, "--component is required")
		fs.Usage()
		return errUsage
	}
	wasm, err := os.ReadFile(*component)
	if err != nil {
		return fmt.Errorf("--component: %w", err)
	}
	trigger, err := execTrigger(*input)
	if err != nil {
		return err
	}
	cfg, err := keyValues("--config", configs, "")
	if err != nil {
		return err
	}
	env, err := keyValues("--env", envs, "WAVS_ENV_")
	if err != nil {
		return err
	}
	policy, err := service.ParseHostPolicy(*httpPolicy)
	if err != nil {
		return fmt.Errorf("--http: %w", err)
	}

	var allow []netip.Prefix
	if *outboundAllow != "" {
		if allow, err = netguard.ParseAllow("--outbound-allow", strings.Split(*outboundAllow, ",")); err != nil {
			return err
		}
	}

	imports, err := engine.ComponentImports(wasm)
	if err != nil {
		return fmt.Errorf("--component %s: %w", *component, err)
	}
	if len(imports) > 0 && !*asJSON {
		fmt.Fprintf(stdout, "WAVS component; imports:\n")
		for _, im := range imports {
			fmt.Fprintf(stdout, "  %s\n", im)
		}
	}

	tmp, err := os.MkdirTemp("", "wavs-exec-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cacheDir := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cacheDir = filepath.Join(dir, "wavs", "compiled")
	}
	log := hclog.New(&hclog.LoggerOptions{Name: "component", Level: hclog.LevelFromString(*logLevel), Output: stderr})
	eng, err := engine.New(ctx, engine.Options{
		CacheDir:      cacheDir,
		ComponentsDir: filepath.Join(tmp, "components"),
		KV:            engine.NewMemKV(),
		Outbound:      netguard.New(netguard.Options{Allow: allow}),
		Logger:        log,
	})
	if err != nil {
		return err
	}
	defer eng.Close(context.Background())
	digest, err := eng.AddComponent(ctx, wasm)
	if err != nil {
		return fmt.Errorf("--component %s: %w", *component, err)
	}
	start := time.Now()
	resps, err := eng.Execute(ctx, engine.Request{
		Digest:     digest,
		ServiceID:  strings.Repeat("0", 64),
		WorkflowID: "exec",
		Trigger:    trigger,
		Config:     cfg,
		Env:        env,
		HTTP:       policy,
		TimeLimit:  *timeLimit,
	})
	took := time.Since(start)
	if err != nil {
		return err
	}
	return printResponses(stdout, resps, imports, took, *asJSON)
}

// execTrigger reads --input: a trigger JSON object, a file holding one, or
// raw bytes.
func execTrigger(input string) (engine.Trigger, error) {
	data := []byte(input)
	if st, err := os.Stat(input); err == nil && !st.IsDir() {
		if data, err = os.ReadFile(input); err != nil {
			return engine.Trigger{}, fmt.Errorf("--input: %w", err)
		}
	}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "{") {
		t, err := engine.ParseTriggerJSON([]byte(trimmed))
		if err == nil {
			return t, nil
		}
		// A JSON object that is not a trigger is a component's own input.
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(trimmed), &obj) == nil && isTriggerKey(obj) {
			return engine.Trigger{}, fmt.Errorf("--input: %w", err)
		}
	}
	return engine.Trigger{Raw: data}, nil
}

func isTriggerKey(obj map[string]json.RawMessage) bool {
	for _, k := range []string{"evm_contract_event", "block_interval", "cron", "raw"} {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}

func keyValues(flagName string, kvs []string, prefix string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s %q: want key=value", flagName, kv)
		}
		if prefix != "" && !strings.HasPrefix(k, prefix) {
			return nil, fmt.Errorf("%s %q: the name must start with %s", flagName, k, prefix)
		}
		out[k] = v
	}
	return out, nil
}

func printResponses(w io.Writer, resps []engine.Response, imports []string, took time.Duration, asJSON bool) error {
	type row struct {
		Payload     string `json:"payload"`
		Text        string `json:"text,omitempty"`
		EventIDSalt string `json:"event_id_salt,omitempty"`
	}
	rows := make([]row, 0, len(resps))
	for _, r := range resps {
		x := row{Payload: "0x" + hex.EncodeToString(r.Payload)}
		if len(r.Payload) > 0 && utf8.Valid(r.Payload) && printable(string(r.Payload)) {
			x.Text = string(r.Payload)
		}
		if r.EventIDSalt != nil {
			x.EventIDSalt = "0x" + hex.EncodeToString(r.EventIDSalt)
		}
		rows = append(rows, x)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		out := map[string]any{"responses": rows, "millis": took.Milliseconds()}
		if imports != nil {
			out["imports"] = imports
		}
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "%d response(s) in %v\n", len(rows), took.Round(time.Millisecond))
	for i, r := range rows {
		fmt.Fprintf(w, "[%d] payload: %s\n", i, r.Payload)
		if r.Text != "" {
			fmt.Fprintf(w, "    text:    %s\n", r.Text)
		}
		if r.EventIDSalt != "" {
			fmt.Fprintf(w, "    salt:    %s\n", r.EventIDSalt)
		}
	}
	return nil
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}
