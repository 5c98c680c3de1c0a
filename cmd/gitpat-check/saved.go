package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

// wantsSaved reports whether the arguments ask for --saved, which takes
// no HOST and reads no standard input.
func wantsSaved(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		return a == "--saved" || a == "-saved" || a == "--saved=true" || a == "-saved=true"
	})
}

// savedDeps is what --saved needs from outside: the list, the keyring and
// the clock. Tests swap them.
type savedDeps struct {
	list  *savedlist.File // nil: savedlist.Default()
	vault interface {
		Load(account string) ([]secret.Value, error)
	}
	now func() time.Time
}

// runSaved re-checks every token saved by the app, with its secret from
// the keyring: one line per token (or a JSON array of reports) and the
// worst verdict as the exit status. With --expiring DAYS a token that
// expires within DAYS makes the status at least 1.
func runSaved(ctx context.Context, args []string, d savedDeps, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gitpat-check --saved", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("saved", true, "re-check every token saved in the keyring by the gitpat app")
	asJSON := fs.Bool("json", false, "print a JSON array of reports, one per saved token")
	expiring := new(int)
	*expiring = -1 // not asked
	fs.Func("expiring", "exit 1 (at least) when a token expires within `DAYS` days, even if it is otherwise fine", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("a number of days, 0 or more")
		}
		*expiring = n
		return nil
	})
	timeout := fs.Duration("timeout", 20*time.Second, "limit for each token's check")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gitpat-check --saved [--json] [--expiring DAYS] [--timeout D]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExit status: the worst of the tokens: 0 sufficient, 1 valid but insufficient (or expiring\nwith --expiring), 2 rejected, 3 could not check; 64 usage.\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gitpat-check: --saved takes no HOST (got %q): it re-checks every saved token\n", fs.Arg(0))
		return exitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "gitpat-check: --timeout must be positive")
		return exitUsage
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.vault == nil {
		d.vault = vault.Store{}
	}
	if d.list == nil {
		f, err := savedlist.Default()
		if err != nil {
			fmt.Fprintf(stderr, "gitpat-check: %v\n", err)
			return int(hosts.Unchecked)
		}
		d.list = f
	}
	list, err := d.list.Load()
	if err != nil {
		fmt.Fprintf(stderr, "gitpat-check: %v\n", err)
		return int(hosts.Unchecked)
	}
	if len(list) == 0 {
		fmt.Fprintf(stderr, "gitpat-check: no saved tokens in %s; save one from the gitpat app first\n", d.list.Path)
		if *asJSON {
			fmt.Fprintln(stdout, "[]")
		}
		return 0
	}

	code := 0
	reports := make([]*hosts.Report, 0, len(list))
	for _, tok := range list {
		r := checkSaved(ctx, tok, d, *timeout)
		reports = append(reports, r)
		status := int(r.Outcome)
		if r.Outcome == hosts.BadInput {
			status = int(hosts.Unchecked) // the saved settings, not this command line, are at fault
		}
		soon := false
		if *expiring >= 0 {
			exp := r.ExpiresAt
			if exp == nil && !r.Valid {
				exp = tok.ExpiresAt
			}
			soon = exp != nil && exp.Sub(d.now()) < time.Duration(*expiring)*24*time.Hour
			if soon {
				status = max(status, int(hosts.Insufficient))
			}
		}
		code = max(code, status)
		if !*asJSON {
			fmt.Fprintln(stdout, savedLine(tok, r, soon, d.now()))
		}
	}
	if *asJSON {
		b, err := json.MarshalIndent(reports, "", "  ")
		if err != nil {
			panic(err) // reports hold only plain fields
		}
		fmt.Fprintf(stdout, "%s\n", b)
	}
	record(d.list, list, reports, d.now(), stderr)
	return code
}

// checkSaved reads one token's secrets from the keyring and checks them.
func checkSaved(ctx context.Context, tok savedlist.Token, d savedDeps, timeout time.Duration) *hosts.Report {
	fail := func(summary string) *hosts.Report {
		r := hosts.Unfinished(tok.Host, hosts.Unchecked, summary)
		r.Server, r.User, r.ExpiresAt = tok.Server, tok.User, tok.ExpiresAt
		return r
	}
	h := hosts.ByID(tok.Host)
	if h == nil {
		return fail("This gitpat does not know the host " + tok.Host + ".")
	}
	secrets, err := d.vault.Load(tok.Account)
	if errors.Is(err, vault.ErrNotFound) {
		return fail("The token is no longer in the keyring; save it again from the gitpat app, or delete it there.")
	}
	if err != nil {
		return fail("Could not read the token from the keyring: " + err.Error())
	}
	client, err := httpx.New(httpx.Options{CAFile: tok.CAFile()})
	if err != nil {
		return fail(err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req := tok.Request()
	req.Secrets = secrets
	r := h.Check(ctx, hosts.Env{HTTP: client, Now: d.now}, req)
	if r.User == "" {
		r.User = tok.User
	}
	if r.Server == "" {
		r.Server = tok.Server
	}
	return r
}

// savedLine is one token's verdict in a line: a word a script can match,
// whose token it is, the summary and the expiry.
func savedLine(tok savedlist.Token, r *hosts.Report, soon bool, now time.Time) string {
	word := map[hosts.Outcome]string{hosts.Sufficient: "ready", hosts.Insufficient: "insufficient",
		hosts.Rejected: "rejected", hosts.Unchecked: "unchecked", hosts.BadInput: "unchecked"}[r.Outcome]
	if soon && r.Outcome == hosts.Sufficient {
		word = "expiring"
	}
	line := fmt.Sprintf("%-12s  %s: %s", word, tok.Label(), strings.TrimSpace(r.Summary))
	// The summary is general ("The host rejected this token."): the first
	// error says why.
	if i := slices.IndexFunc(r.Findings, func(f hosts.Finding) bool { return f.Level == hosts.Error }); i >= 0 && r.Outcome != hosts.Sufficient {
		line += " " + r.Findings[i].Text
	}
	if r.Valid {
		line += " Expires: " + r.ExpiryText(now) + "."
	}
	return line
}

// record writes the results into the list, as the app's Re-check does, so
// the app and `gitpat --remind` know the newest expiry dates. A list that
// changed meanwhile keeps its other entries.
func record(f *savedlist.File, checked []savedlist.Token, reports []*hosts.Report, now time.Time, stderr io.Writer) {
	err := f.Update(func(list []savedlist.Token) []savedlist.Token {
		for i := range list {
			for j, tok := range checked {
				r := reports[j]
				if list[i].Account != tok.Account || r.Outcome == hosts.Unchecked || r.Outcome == hosts.BadInput {
					continue
				}
				list[i].CheckedAt, list[i].Summary, list[i].Outcome = now, r.Summary, r.Outcome
				if r.Valid {
					list[i].ExpiresAt = r.ExpiresAt
				}
			}
		}
		return list
	})
	if err != nil {
		fmt.Fprintf(stderr, "gitpat-check: the results were not recorded in the saved-token list: %v\n", err)
	}
}
