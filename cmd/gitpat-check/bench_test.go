package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// BenchmarkProcess measures gitpat-check from process start to exit
// against a local fake GitHub Enterprise (no added latency), and reports
// the binary's size. The binary is built as `make build` builds it.
func BenchmarkProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "gitpat-check")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	g := hoststest.NewGitHub(b, true, map[string]hoststest.GitHubToken{canary: {Scopes: "repo"}})
	ca := g.CAFile(b)
	b.ResetTimer()
	for range b.N {
		cmd := exec.Command(bin, "--url", g.URL, "--ca-file", ca, "--json", "github")
		cmd.Stdin = strings.NewReader(canary + "\n")
		if out, err := cmd.Output(); err != nil {
			b.Fatalf("exit %v:\n%s", err, out)
		}
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "MiB-binary")
}
