package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/deploy"
)

// browser is what the browser test needs: node, playwright-core (pinned in
// tools/package.json) and Debian's Chromium.
type browser struct {
	node, chromium, tools string
}

// needBrowser skips the test when the browser or its driver is missing,
// or fails it when WAVS_REQUIRE_BROWSER=1.
func needBrowser(t *testing.T) browser {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		if os.Getenv("WAVS_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + " (and WAVS_REQUIRE_BROWSER=1)")
		}
		t.Skip(msg)
	}
	b := browser{chromium: os.Getenv("WAVS_CHROMIUM")}
	if b.chromium == "" {
		b.chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(b.chromium); err != nil {
		missing(fmt.Sprintf("no Chromium at %s (apt-get install -y chromium, or set WAVS_CHROMIUM): %v", b.chromium, err))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("no node on PATH: " + err.Error())
	}
	b.node = node
	tools, err := filepath.Abs(filepath.Join("..", "tools"))
	if err != nil {
		t.Fatal(err)
	}
	b.tools = tools
	if _, err := os.Stat(filepath.Join(tools, "node_modules", "playwright-core", "package.json")); err != nil {
		missing("no playwright-core in tools/node_modules (cd tools && npm install --no-audit --no-fund --no-save): " + err.Error())
	}
	return b
}

// pageView is what e2e/testdata/browser/check.mjs read off a status page.
type pageView struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Live    string `json:"live"`
	Updated string `json:"updated"`
	Error   string `json:"error"`
	Node    struct {
		Version  string `json:"version"`
		Operator string `json:"operator"`
		Mode     string `json:"mode"`
	} `json:"node"`
	Services []struct {
		ID             string   `json:"id"`
		Status         string   `json:"status"`
		ShownID        string   `json:"shown_id"`
		SigningAddress string   `json:"signing_address"`
		Topic          string   `json:"topic"`
		Workflows      []string `json:"workflows"`
		Events         []struct {
			EventID      string `json:"event_id"`
			Status       string `json:"status"`
			Signers      int    `json:"signers"`
			SignedWeight string `json:"signed_weight"`
			TotalWeight  string `json:"total_weight"`
			Threshold    string `json:"threshold"`
			TxHash       string `json:"tx_hash"`
			Shown        struct {
				EventID string `json:"event_id"`
				Status  string `json:"status"`
				Signers string `json:"signers"`
				Quorum  string `json:"quorum"`
				Tx      string `json:"tx"`
				TxTitle string `json:"tx_title"`
			} `json:"shown"`
		} `json:"events"`
	} `json:"services"`
	Plugins []struct {
		Name    string `json:"name"`
		State   string `json:"state"`
		Healthy bool   `json:"healthy"`
	} `json:"plugins"`
	P2P struct {
		Enabled string         `json:"enabled"`
		PeerID  string         `json:"peer_id"`
		Peers   int            `json:"peers"`
		PeerIDs []string       `json:"peer_ids"`
		Topics  map[string]int `json:"topics"`
	} `json:"p2p"`
	Aggregator map[string]uint64 `json:"aggregator"`
}

type browserReport struct {
	Pages           []pageView `json:"pages"`
	Blocked         []string   `json:"blocked"`
	PageErrors      []string   `json:"page_errors"`
	ConsoleErrors   []string   `json:"console_errors"`
	Screenshot      string     `json:"screenshot"`
	ErrorState      pageView   `json:"error_state"`
	ErrorScreenshot string     `json:"error_screenshot"`
}

// TestBrowserStatusPage opens the status pages of a 3-operator cluster in
// headless Chromium after a few triggers landed, and checks what they
// show: the service, its events with their quorum (200 of 300, needing
// 2/3) and transactions, the peers, the plugins, the counters; then that
// the page says so when the node stops answering.
func TestBrowserStatusPage(t *testing.T) {
	b := needBrowser(t)
	c := startCluster(t, clusterOptions{pair: deploy.PairRepo})
	c.meshed(t, 0, 1, 2)
	const triggers = 3
	c.fire(t, 1, 1+triggers)
	c.landed(t, 1+triggers, time.Minute)

	// The main page (checked in full, and screenshot) is of an operator
	// that landed one of the events itself, so that it shows a
	// transaction: which one lands an event is the aggregator's turn
	// order, node 0 most often but not always.
	main := -1
	eventually(30*time.Second, func() bool {
		for i, op := range c.ops {
			for _, r := range results(t, op.node, c.serviceID) {
				if r.TxHash != "" {
					main = i
					return true
				}
			}
		}
		return false
	})
	if main < 0 {
		t.Fatal("no node recorded a transaction for the events on chain")
	}
	order := append([]int{main}, slices.DeleteFunc([]int{0, 1, 2}, func(i int) bool { return i == main })...)
	t.Logf("node %d landed an event: its page is the main one", main)

	dir := t.TempDir()
	shot := filepath.Join(dir, "status-page.png")
	args := []string{filepath.Join("testdata", "browser", "check.mjs"),
		"--tools", b.tools, "--chromium", b.chromium, "--profile", filepath.Join(dir, "profile"), "--shot", shot,
		"--want-events", strconv.Itoa(triggers), "--want-peers", "2"}
	for _, i := range order {
		args = append(args, c.ops[i].url+"/")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.node, args...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("check.mjs: %v\nstderr:\n%s\nstdout:\n%s", err, stderr.String(), stdout.String())
	}
	t.Logf("browser checks took %v; screenshots %s and %s", time.Since(start).Round(time.Millisecond), shot, strings.TrimSuffix(shot, ".png")+"-error.png")
	var rep browserReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("check.mjs printed no JSON: %v\n%s", err, stdout.String())
	}
	if len(rep.Pages) != len(c.ops) {
		t.Fatalf("%d pages read, want %d", len(rep.Pages), len(c.ops))
	}
	keep(t, shot, rep.ErrorScreenshot)

	if len(rep.Blocked) > 0 {
		t.Errorf("the page asked for addresses off the node: %v", rep.Blocked)
	}
	if len(rep.PageErrors) > 0 || len(rep.ConsoleErrors) > 0 {
		t.Errorf("script errors %v, console errors %v", rep.PageErrors, rep.ConsoleErrors)
	}

	// The main page, in full.
	p, me := rep.Pages[0], c.ops[main]
	others := []string{c.ops[order[1]].peerID, c.ops[order[2]].peerID}
	if p.URL != me.url+"/" || p.Title != "wavs node" || p.Error != "" || p.Live != "ok" || !strings.HasPrefix(p.Updated, "last updated ") {
		t.Errorf("node %d's page %s: title %q, error %q, live %q, updated %q", main, p.URL, p.Title, p.Error, p.Live, p.Updated)
	}
	wantOp := crypto.PubkeyToAddress(me.key.PublicKey).Hex()
	if p.Node.Version == "" || p.Node.Version == "…" || !strings.EqualFold(p.Node.Operator, wantOp) || p.Node.Mode != "operators" {
		t.Errorf("node facts %+v, want a version, operator %s, mode operators", p.Node, wantOp)
	}
	if len(p.Services) != 1 || p.Services[0].ID != c.serviceID || p.Services[0].ShownID != c.serviceID {
		t.Fatalf("services shown %+v, want %s", p.Services, c.serviceID)
	}
	svc := p.Services[0]
	if !strings.EqualFold(svc.SigningAddress, wantOp) || svc.Topic != c.topic || len(svc.Workflows) == 0 || svc.Status == "" {
		t.Errorf("service shown as status %q, signing %s, topic %s, workflows %v; want %s, %s", svc.Status, svc.SigningAddress, svc.Topic, svc.Workflows, wantOp, c.topic)
	}
	submitted := 0
	for _, e := range svc.Events {
		if e.Status != "submitted" {
			continue
		}
		submitted++
		signed, _ := strconv.Atoi(e.SignedWeight)
		if signed < 200 || e.TotalWeight != "300" || e.Threshold != "2/3" || e.Signers < 2 {
			t.Errorf("event %s: %d signers, weight %s of %s (threshold %s); want ≥ 200 of 300, 2/3", e.EventID, e.Signers, e.SignedWeight, e.TotalWeight, e.Threshold)
		}
		if want := e.SignedWeight + " / 300 (needs 2/3)"; e.Shown.Quorum != want {
			t.Errorf("event %s: quorum shown %q, want %q", e.EventID, e.Shown.Quorum, want)
		}
		if e.Shown.Status != "submitted" || e.Shown.Signers != strconv.Itoa(e.Signers) {
			t.Errorf("event %s shown as %+v", e.EventID, e.Shown)
		}
		if !strings.Contains(e.Shown.EventID, "…") || !strings.HasPrefix(e.EventID, strings.Split(e.Shown.EventID, "…")[0]) {
			t.Errorf("event id %s shown as %q, want it shortened", e.EventID, e.Shown.EventID)
		}
	}
	if submitted < triggers {
		t.Errorf("%d submitted events shown, want %d: %+v", submitted, triggers, svc.Events)
	}
	if p.P2P.Peers != 2 || p.P2P.PeerID != me.peerID || p.P2P.Topics[c.topic] != 2 ||
		!slices.Contains(p.P2P.PeerIDs, others[0]) || !slices.Contains(p.P2P.PeerIDs, others[1]) {
		t.Errorf("p2p shown %+v; want peer %s with peers %v, 2 on %s", p.P2P, me.peerID, others, c.topic)
	}
	var names []string
	for _, pl := range p.Plugins {
		names = append(names, pl.Name)
		if !pl.Healthy || pl.State != "running" {
			t.Errorf("plugin %s shown %s, healthy %v", pl.Name, pl.State, pl.Healthy)
		}
	}
	for _, want := range []string{"transport-libp2p", "trigger-evm", "submit-evm"} {
		if !slices.Contains(names, want) {
			t.Errorf("plugin %s not shown (%v)", want, names)
		}
	}
	if a := p.Aggregator; a["quorums_reached"] < 1 || a["signatures_published"] < triggers || a["submitted"]+a["already_handled"]+a["landed_elsewhere"] < triggers {
		t.Errorf("aggregator counters shown %v", a)
	}

	// Each event landed once: every page shows the one transaction that
	// landed it (the submitter's own, the others' checked on chain).
	txs := map[string][]string{} // event id → tx hashes shown on the pages
	for k, pv := range rep.Pages {
		i := order[k]
		if pv.URL != c.ops[i].url+"/" || pv.Error != "" || len(pv.Services) != 1 {
			t.Errorf("node %d's page %s: error %q, services %+v", i, pv.URL, pv.Error, pv.Services)
			continue
		}
		for _, e := range pv.Services[0].Events {
			if e.TxHash == "" {
				continue
			}
			txs[e.EventID] = append(txs[e.EventID], e.TxHash)
			if !strings.Contains(e.Shown.Tx, "…") || e.Shown.TxTitle != e.TxHash {
				t.Errorf("node %d: tx %s shown as %q (title %q)", i, e.TxHash, e.Shown.Tx, e.Shown.TxTitle)
			}
		}
	}
	if len(txs) < triggers {
		t.Errorf("%d events shown with a transaction across the pages, want %d: %v", len(txs), triggers, txs)
	}
	for ev, hs := range txs {
		slices.Sort(hs)
		if hs = slices.Compact(hs); len(hs) != 1 {
			t.Errorf("event %s shown with %d different transactions: %v", ev, len(hs), hs)
			continue
		}
		r, err := c.chain.Client.TransactionReceipt(t.Context(), common.HexToHash(hs[0]))
		if err != nil || r.Status != 1 {
			t.Errorf("event %s: tx %s shown, receipt %+v, %v", ev, hs[0], r, err)
		}
	}

	// The error state, once the page could not reach the node.
	if e := rep.ErrorState; e.Live != "down" || !strings.Contains(e.Error, "not answering") || !strings.HasPrefix(e.Updated, "last updated ") || len(e.Services) != 1 {
		t.Errorf("error state: live %q, error %q, updated %q, %d services still shown", e.Live, e.Error, e.Updated, len(e.Services))
	}

	checkScreenshot(t, shot, 1000, 600)
	checkScreenshot(t, rep.ErrorScreenshot, 1000, 600)
}

// checkScreenshot fails unless path is a PNG of at least w×h pixels that
// is not blank: a rendered page has many colours (text, badges, bars).
func checkScreenshot(t *testing.T, path string, w, h int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	bounds := img.Bounds()
	colours := distinctColours(img, 10000)
	t.Logf("%s: %dx%d, %d bytes, %d colours", filepath.Base(path), bounds.Dx(), bounds.Dy(), len(data), colours)
	if bounds.Dx() < w || bounds.Dy() < h || len(data) < 10_000 || colours < 50 {
		t.Errorf("%s: %dx%d, %d bytes, %d colours; want ≥ %dx%d and a page that is not blank", path, bounds.Dx(), bounds.Dy(), len(data), colours, w, h)
	}
}

func distinctColours(img image.Image, upTo int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= upTo {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// keep copies the screenshots to WAVS_E2E_ARTIFACTS, when it names a
// folder: t.TempDir() goes with the test.
func keep(t *testing.T, paths ...string) {
	t.Helper()
	dir := os.Getenv("WAVS_E2E_ARTIFACTS")
	if dir == "" {
		return
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("keeping %s: %v", p, err)
			continue
		}
		out := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Errorf("keeping %s: %v", p, err)
			continue
		}
		t.Logf("kept %s", out)
	}
}
