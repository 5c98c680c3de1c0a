// Command gitpat-check tests a git host token for the Jira git integration
// without a screen: for scripts, CI and servers.
//
//	gitpat-check [flags] HOST < token
//	gitpat-check --saved [--json] [--expiring DAYS]
//
// The secret is read from standard input, never from argv or the
// environment. Hosts that sign in with a user name as well (Bitbucket
// Cloud: the Atlassian account email; Gerrit: the user name) take it from
// --user, or with --user - from the first line of standard input, before
// the secret. The exit status is the verdict: 0 sufficient, 1 valid but
// insufficient, 2 rejected, 3 could not check, 64 usage error.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

const exitUsage = 64

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func usage(fs *flag.FlagSet) func() {
	return func() {
		w := fs.Output()
		ids := make([]string, 0, 6)
		for _, h := range hosts.All() {
			ids = append(ids, h.ID)
		}
		fmt.Fprintf(w, "Usage: gitpat-check [flags] HOST < secret\n")
		fmt.Fprintf(w, "       gitpat-check --saved [--json] [--expiring DAYS]   (every token saved by the app)\n\n")
		fmt.Fprintf(w, "  HOST  %s\n\n", strings.Join(ids, " | "))
		fmt.Fprintf(w, "The token is read from the first line of standard input; for codecommit the\n")
		fmt.Fprintf(w, "access key ID from the first line and the secret access key from the second.\n")
		fmt.Fprintf(w, "With --user - the user name or email is read first, on a line of its own.\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExit status: 0 sufficient, 1 valid but insufficient, 2 rejected, 3 could not check, 64 usage.\n")
	}
}

// run is main without the process: testable, and the only place that
// decides the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if i, kind, found := credentialArg(args); found {
		fmt.Fprintf(stderr, "gitpat-check: refused argument %d: it looks like %s, and secrets never go on the command line "+
			"(it ends up in shell history, process lists and CI logs). Pipe the secret to standard input instead; "+
			"if this was a real credential, consider it exposed and revoke it.\n", i+1, kind)
		return exitUsage
	}
	if wantsSaved(args) {
		return runSaved(ctx, args, savedDeps{}, stdout, stderr)
	}
	fs := flag.NewFlagSet("gitpat-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs)
	var (
		serverURL = fs.String("url", "", "server URL: GitHub Enterprise Server, self-managed GitLab, Azure DevOps organization,\nTFS or Azure DevOps Server collection, Bitbucket Data Center, Gerrit; for codecommit one endpoint\nfor STS, IAM and CodeCommit, for bitbucket a test endpoint instead of api.bitbucket.org")
		user      = fs.String("user", "", "the user name the secret signs in with: bitbucket the Atlassian account email, gerrit the\nuser name, bitbucket-datacenter (optional) the token's user; - reads it from the first line of standard input")
		org       = fs.String("org", "", "Azure DevOps Services organization")
		region    = fs.String("region", "us-east-1", "AWS region")
		caFile    = fs.String("ca-file", "", "extra trusted CA certificates, PEM (self-signed or company CAs)")
		timeout   = fs.Duration("timeout", 20*time.Second, "limit for the whole check")
		asJSON    = fs.Bool("json", false, "print the report as one JSON object on standard output")
		allowHTTP = fs.Bool("allow-http", false, "allow sending the token over plain http:// (on-premises servers)")
		expires   = fs.String("expires", "", "Azure DevOps, TFS, Azure DevOps Server, Bitbucket Cloud: the expiry date the token page\nshowed (a token cannot reveal it), such as 2027-11-25")
	)
	var repos []string
	fs.Func("repo", "a repository (or organization, group, project) the integration will connect, in the host's form\n"+
		"(owner/repo, group/project, Project/Repository, a CodeCommit name, workspace/repo, PROJECT/repo, a Gerrit\n"+
		"project) or as its URL; repeatable", func(s string) error {
		repos = append(repos, s)
		return nil
	})
	// Flags may come before or after HOST.
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) > 0 {
		if err := fs.Parse(rest[1:]); err != nil {
			return exitUsage
		}
		rest = append(rest[:1], fs.Args()...)
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "gitpat-check: name one HOST")
		fs.Usage()
		return exitUsage
	}
	h := hosts.ByID(rest[0])
	if h == nil {
		if hostWord.MatchString(rest[0]) {
			fmt.Fprintf(stderr, "gitpat-check: unknown HOST %q\n", rest[0])
		} else {
			// Whatever it is, it is no host word: do not echo it.
			fmt.Fprintln(stderr, "gitpat-check: unknown HOST (not shown: it is not a host word)")
		}
		fs.Usage()
		return exitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "gitpat-check: --timeout must be positive")
		return exitUsage
	}
	fields := map[string]string{"url": *serverURL, "org": *org}
	if *expires != "" {
		if !hostAsks(h, "expires") {
			fmt.Fprintf(stderr, "gitpat-check: --expires is for %s; %s reads the expiry itself or has none\n", strings.Join(hostsAsking("expires"), ", "), h.ID)
			return exitUsage
		}
		fields["expires"] = *expires
	}
	if *user != "" && !hostAsks(h, "user") {
		fmt.Fprintf(stderr, "gitpat-check: --user is for %s; %s signs in with the secret alone\n", strings.Join(hostsAsking("user"), ", "), h.ID)
		return exitUsage
	}
	if h.ID == "codecommit" {
		fields["region"] = *region
	}
	if len(repos) > 0 {
		if h.Repos == nil {
			fmt.Fprintf(stderr, "gitpat-check: --repo is not available for %s\n", h.ID)
			return exitUsage
		}
		fields[hosts.RepoFieldKey] = strings.Join(repos, "\n")
		if _, err := h.RepoNames(hosts.Request{Variant: h.VariantFor(fields).ID, Fields: fields}); err != nil {
			fmt.Fprintf(stderr, "gitpat-check: --repo %v\n", err)
			return exitUsage
		}
	}
	in := bufio.NewReader(stdin)
	userFromStdin := *user == "-"
	if userFromStdin {
		name, err := readUser(stdin, in, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "gitpat-check: %v\n", err)
			return exitUsage
		}
		*user = name
	}
	if *user != "" {
		fields["user"] = *user
	}
	first := 1
	if userFromStdin {
		first = 2
	}
	secrets, err := readSecrets(stdin, in, stderr, h.Secrets, first)
	if err != nil {
		fmt.Fprintf(stderr, "gitpat-check: %v\n", err)
		return exitUsage
	}
	client, err := httpx.New(httpx.Options{CAFile: *caFile})
	if err != nil {
		fmt.Fprintf(stderr, "gitpat-check: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	report := h.Check(ctx, hosts.Env{HTTP: client, Now: time.Now}, hosts.Request{
		Variant:   h.VariantFor(fields).ID,
		Fields:    fields,
		Secrets:   secrets,
		AllowHTTP: *allowHTTP,
	})
	if report.NeedsHTTPConsent {
		fmt.Fprintln(stderr, "gitpat-check: the server URL is plain http://, which sends the token unencrypted; add --allow-http to do so anyway")
	}
	if *asJSON {
		fmt.Fprintf(stdout, "%s\n", report.JSON())
	} else {
		fmt.Fprint(stdout, report.Text(time.Now()))
	}
	return int(report.Outcome)
}

// hostWord is what a HOST argument looks like; anything else is not
// echoed back, since it may be a secret typed in the wrong place.
var hostWord = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}$`)

// credentialArg finds the first argument, or flag value, that looks like
// a credential; i is its index in args.
func credentialArg(args []string) (i int, kind string, found bool) {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		for _, s := range []string{a, name, value} {
			if s == "" || (s == value && !hasValue) {
				continue
			}
			if kind, ok := hosts.LooksLikeCredential(s); ok {
				return i, kind, true
			}
		}
	}
	return 0, "", false
}

// hostAsks reports whether a variant of h has a field with that key.
func hostAsks(h *hosts.Host, key string) bool {
	for _, v := range h.Variants {
		if v.HasField(key) {
			return true
		}
	}
	return false
}

// hostsAsking names the hosts that have a field with that key.
func hostsAsking(key string) []string {
	var ids []string
	for _, h := range hosts.All() {
		if hostAsks(h, key) {
			ids = append(ids, h.ID)
		}
	}
	return ids
}

// terminal reports whether r is a terminal, and its descriptor.
func terminal(r io.Reader) (int, bool) {
	f, isFile := r.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// readUser reads the user name from the first line of standard input (on
// a terminal, after a prompt, with echo: it is not a secret). Its text
// never appears in an error, in case a secret was pasted there by mistake.
func readUser(stdin io.Reader, br *bufio.Reader, stderr io.Writer) (string, error) {
	if _, tty := terminal(stdin); tty {
		fmt.Fprintf(stderr, "User name or email: ")
	}
	line, err := br.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		if err == io.EOF {
			return "", fmt.Errorf("standard input ended before the user name (line 1, for --user -)")
		}
		return "", fmt.Errorf("cannot read standard input: %v", err)
	}
	name := strings.TrimSpace(line)
	if name == "" {
		return "", fmt.Errorf("line 1 of standard input holds no user name (--user -)")
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }) {
		return "", fmt.Errorf("the user name on line 1 of standard input holds a control character")
	}
	return name, nil
}

// readSecrets reads one line per secret field from br, which reads stdin.
// On a terminal it prompts and does not echo.
// first is the number of the first line to read, for messages.
func readSecrets(stdin io.Reader, br *bufio.Reader, stderr io.Writer, fields []hosts.SecretField, first int) ([]secret.Value, error) {
	fd, tty := terminal(stdin)
	out := make([]secret.Value, 0, len(fields))
	for i, field := range fields {
		var line string
		if tty {
			fmt.Fprintf(stderr, "%s: ", field.Label)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(stderr)
			if err != nil {
				return nil, fmt.Errorf("cannot read the %s: %v", strings.ToLower(field.Label), err)
			}
			line = string(b)
		} else {
			s, err := br.ReadString('\n')
			if err != nil && (err != io.EOF || s == "") {
				if err == io.EOF {
					return nil, fmt.Errorf("standard input ended before the %s (line %d)", strings.ToLower(field.Label), first+i)
				}
				return nil, fmt.Errorf("cannot read standard input: %v", err)
			}
			line = s
		}
		v, err := secret.Parse(line)
		if err != nil {
			return nil, fmt.Errorf("the %s on line %d of standard input: %v", strings.ToLower(field.Label), first+i, err)
		}
		out = append(out, v)
	}
	return out, nil
}
