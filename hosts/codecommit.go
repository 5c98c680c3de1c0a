package hosts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/gitpat/gitpat/internal/httpx"
)

// codecommitNeeds is what the Jira integration needs of an IAM user.
var codecommitNeeds = []string{"codecommit:CreateBranch", "codecommit:CreatePullRequest"}

// CodeCommitRegions are the AWS regions where CodeCommit runs.
var CodeCommitRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
	"ap-south-1", "ap-east-1", "me-south-1", "af-south-1", "il-central-1",
}

// CodeCommit is AWS CodeCommit, which takes an IAM access key instead of a PAT.
var CodeCommit = &Host{
	ID:      "codecommit",
	Name:    "AWS CodeCommit",
	Family:  "aws",
	Summary: "The Jira integration needs an IAM user's access key ID and secret access key, with permission to create branches and pull requests.",
	Needs:   codecommitNeeds,
	Variants: []Variant{{ID: "aws", Label: "AWS CodeCommit", Fields: []Field{
		{Key: "region", Label: "Region", Choices: CodeCommitRegions, Default: "us-east-1"},
		{Key: "user", Label: "IAM user name", Placeholder: "jira-codecommit", Optional: true,
			Help: "Optional: opens that user's security credentials page.", Validate: codecommitUserName},
	}}},
	Credential: "access key", // an IAM access key pair, not a token
	Secrets:    []SecretField{{Label: "Access key ID", Placeholder: "AKIA…", Visible: true}, {Label: "Secret access key", Placeholder: "40 characters"}},
	Repos:      &codecommitRepoSpec,
	Steps: []Step{
		{"Sign in to the AWS console, open IAM and choose Users.", "aws-1-iam.svg"},
		{"Choose the IAM user the integration will use: not your own administrator user.", "aws-2-user.svg"},
		{"Open the Security credentials tab and, under Access keys, click Create access key. \"Open access key page\" takes you there when you enter the user name.", "aws-3-credentials.svg"},
		{"Choose Third-party service as the use case, confirm, click Next and then Create access key.", "aws-4-usecase.svg"},
		{"Copy the access key ID and the secret access key now: the secret is shown only once.", "aws-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "The IAM user needs codecommit:CreateBranch and codecommit:CreatePullRequest.", Link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/list_awscodecommit.html"},
		{Level: Warn, Text: "AWS allows only two access keys per IAM user: delete an unused one first if the user has two."},
		{Level: Warn, Text: "Administrators: do not reuse your own user's key; create a user for the integration."},
	},
	TokenPage:  codecommitTokenPage,
	Regenerate: codecommitRenewal,
	check:      checkCodeCommit,
}

// iamUserName is what IAM accepts as a user name: the UserName pattern
// [\w+=,.@-]+, 1 to 128 characters, of the IAM API reference (ListAccessKeys;
// CreateUser allows 64), https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
var iamUserName = lazyRE(`^[\w+=,.@-]{1,128}$`)

func codecommitUserName(s string) error {
	if !iamUserName.MatchString(s) {
		return &ServerURLError{"An IAM user name has only letters, digits and + = , . @ _ - (no spaces), as on the IAM Users page."}
	}
	return nil
}

func codecommitTokenPage(req Request) (string, error) {
	if user := strings.TrimSpace(req.Field("user")); user != "" {
		return codecommitUserPage(user, "security_credentials"), nil
	}
	return "https://console.aws.amazon.com/iam/home#/users", nil
}

// codecommitUserPage is a section of an IAM user's page in the console.
func codecommitUserPage(user, section string) string {
	return "https://console.aws.amazon.com/iam/home#/users/details/" + url.PathEscape(user) + "?section=" + section
}

// codecommitActions are what the check asks the IAM policy simulator
// about: the two actions the integration needs, then reading.
var codecommitActions = []string{"codecommit:CreateBranch", "codecommit:CreatePullRequest", "codecommit:GitPull", "codecommit:ListRepositories"}

// codecommitDoing says what each action lets the integration do.
var codecommitDoing = map[string]string{
	"codecommit:CreateBranch":      "create branches",
	"codecommit:CreatePullRequest": "create pull requests",
	"codecommit:GitPull":           "read repository contents (git pull)",
	"codecommit:ListRepositories":  "list repositories",
}

var (
	awsRegionName = regexp.MustCompile(`^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$`)
	// awsKeyIDShape is what IAM accepts as an access key ID at all.
	awsKeyIDShape = lazyRE(`^[A-Z0-9]{16,128}$`)
)

const (
	codecommitPolicySimulator = "https://policysim.aws.amazon.com/"
	codecommitEndpointsPage   = "https://docs.aws.amazon.com/general/latest/gr/codecommit.html"
)

func checkCodeCommit(ctx context.Context, env Env, req Request) *Report {
	r := &Report{}
	region, err := codecommitRegion(req.Field("region"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Pick the region where your CodeCommit repositories are, such as us-east-1 or eu-west-1."})
	}
	keyID, secretKey := req.Secrets[0].Reveal(), req.Secrets[1].Reveal()
	if o, f, ok := codecommitKeyShape(keyID, secretKey); !ok {
		if strings.HasPrefix(keyID, "ASIA") {
			r.TokenKind = "temporary access key"
		}
		return r.fail(o, f)
	}
	endpoint := ""
	if raw := req.Field("url"); strings.TrimSpace(raw) != "" {
		u, err := ParseServerURL(raw, true)
		if err != nil {
			return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
				Fix: "Leave the endpoint empty to use AWS itself; set it only for a test endpoint, such as https://localhost:4566."})
		}
		if u.Scheme == "http" && !req.AllowHTTP {
			r.NeedsHTTPConsent = true
			return r.fail(BadInput, Finding{Level: Error,
				Text: "The endpoint uses http://, which would send the access key ID and signed requests unencrypted.",
				Fix:  "Use https://, or allow plain http for a local test endpoint."})
		}
		endpoint = u.String()
		r.Server = endpoint
	} else {
		r.Server = "https://codecommit." + region + "." + awsDNSSuffix(region)
	}
	keysPage, _ := codecommitTokenPage(req)
	s := newAWSSession(awsSend(env.HTTP), keyID, secretKey, region, endpoint)
	s.userField, s.keysPage, s.repos = strings.TrimSpace(req.Field("user")), keysPage, req.Repos
	return s.check(ctx, r, env.Now())
}

// codecommitRegion reads the region field: us-east-1 when empty, a listed
// CodeCommit region, or anything shaped like an AWS region name (new
// regions, China, GovCloud), which CodeCommit itself then judges.
func codecommitRegion(raw string) (string, error) {
	region := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case region == "":
		return "us-east-1", nil
	case slices.Contains(CodeCommitRegions, region), len(region) <= 32 && awsRegionName.MatchString(region):
		return region, nil
	}
	shown := raw
	if len(shown) > 40 || strings.ContainsFunc(shown, func(r rune) bool { return r < ' ' || r > '~' }) {
		shown = "that"
	} else {
		shown = fmt.Sprintf("%q", shown)
	}
	return "", fmt.Errorf("%s is not an AWS region name, such as us-east-1 or eu-west-1", shown)
}

// awsGlobalRegion is the region that signs calls to the global services
// (STS, IAM) in region's partition.
func awsGlobalRegion(region string) string {
	for _, p := range []string{"cn-", "us-gov-", "us-iso", "eusc-"} {
		if strings.HasPrefix(region, p) {
			return region
		}
	}
	return "us-east-1"
}

func awsDNSSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// codecommitKeyShape refuses what cannot be an IAM user's long-term key
// before anything is sent.
func codecommitKeyShape(keyID, secretKey string) (Outcome, Finding, bool) {
	swapFix := "Paste the access key ID (20 characters, starting with AKIA) in the first field and the 40-character secret access key in the second."
	switch {
	case awsKeyID.MatchString(secretKey) && !awsKeyIDShape.MatchString(keyID):
		return BadInput, Finding{Level: Error, Text: "The access key ID and the secret access key are swapped.", Fix: swapFix}, false
	case awsKeyID.MatchString(secretKey):
		return BadInput, Finding{Level: Error, Text: "The secret access key field holds an access key ID.", Fix: swapFix}, false
	case !awsKeyIDShape.MatchString(keyID):
		return BadInput, Finding{Level: Error,
			Text: "What was pasted as the access key ID is not one: those are 20 capital letters and digits, starting with AKIA.",
			Fix:  "Copy the access key ID from the IAM console, or from the .csv file AWS offered when the key was created."}, false
	case strings.HasPrefix(keyID, "ASIA"):
		return Rejected, Finding{Level: Error,
			Text: "This is a temporary access key (ASIA…): it expires within hours and works only with a session token, so the integration cannot use it; gitpat did not send it.",
			Fix:  "Create a long-term access key (starting with AKIA) for an IAM user with the steps shown."}, false
	}
	return 0, Finding{}, true
}

// maskKeyID shows an access key ID as its first and last four characters,
// enough to tell keys apart in the IAM console.
func maskKeyID(id string) string {
	if len(id) < 16 || !awsKeyIDShape.MatchString(id) {
		return "another key"
	}
	return id[:4] + "…" + id[len(id)-4:]
}

// awsPrincipal is the caller an ARN from sts:GetCallerIdentity names.
type awsPrincipal struct {
	ARN       string
	Partition string // aws, aws-cn, aws-us-gov
	Account   string
	Kind      string // "root", "user" or "other" (an assumed role, a federated user)
	Name      string // the user name without its path
}

// parseAWSARN reads arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; ok is false
// for anything else, and for text unfit to show.
func parseAWSARN(s string) (awsPrincipal, bool) {
	if len(s) > 2048 || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return awsPrincipal{}, false
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" ||
		len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "" {
		return awsPrincipal{}, false
	}
	p := awsPrincipal{ARN: s, Partition: parts[1], Account: parts[4]}
	inIAM, resource := parts[2] == "iam" && parts[3] == "", parts[5] // IAM is global: no region
	switch {
	case inIAM && resource == "root":
		p.Kind = "root"
	case inIAM && strings.HasPrefix(resource, "user/"):
		p.Kind, p.Name = "user", resource[strings.LastIndex(resource, "/")+1:]
		if p.Name == "" {
			return awsPrincipal{}, false
		}
	default:
		// An assumed role, a federated user: no IAM user's long-term key.
		p.Kind = "other"
	}
	return p, true
}

// awsTransport sends the SDK's requests through httpx: the same TLS,
// proxy and redirect rules as every other check, the body limit, and
// failures as *httpx.Error. It remembers the host it last called, for
// sentences about a timeout the SDK reports only as a context error.
type awsTransport struct {
	do   func(*http.Request) (*http.Response, error)
	mu   sync.Mutex
	host string
}

func (t *awsTransport) Do(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.host = req.URL.Host
	t.mu.Unlock()
	return t.do(req)
}

// lastHost is the host of the last request sent, or "" before any.
func (t *awsTransport) lastHost() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.host
}

// awsSend adapts the httpx client to what the SDK calls.
func awsSend(c *httpx.Client) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		return &http.Response{
			Status: fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status)), StatusCode: resp.Status,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: resp.Header, Body: io.NopCloser(bytes.NewReader(resp.Body)), ContentLength: int64(len(resp.Body)),
			Request: req,
		}, nil
	}
}

// awsSession is one check's SDK clients, signing with the pasted key.
type awsSession struct {
	region    string
	keyID     string
	secretLen int
	custom    bool // a test endpoint replaces AWS
	// stsAccepted is set once GetCallerIdentity answered: the key and its
	// secret are right, so a later signature error has another cause.
	stsAccepted bool
	userField   string // the IAM user name typed in the tab, if any
	keysPage    string
	repos       []string // the repositories the integration will connect

	sts                   *sts.Client
	iam                   *iam.Client
	cc                    *codecommit.Client
	stsNet, iamNet, ccNet *awsTransport
}

// newAWSSession builds the clients without the SDK's config loader, which
// would read ~/.aws and the environment: only the pasted key signs, only
// do sends, and nothing is retried, so a check stays fast.
func newAWSSession(do func(*http.Request) (*http.Response, error), keyID, secretKey, region, endpoint string) *awsSession {
	s := &awsSession{region: region, keyID: keyID, secretLen: len(secretKey), custom: endpoint != "",
		stsNet: &awsTransport{do: do}, iamNet: &awsTransport{do: do}, ccNet: &awsTransport{do: do}}
	cfg := aws.Config{
		Region:      awsGlobalRegion(region),
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secretKey, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		Logger:      logging.Nop{},
	}
	if endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	cfg.HTTPClient = s.stsNet
	s.sts = sts.NewFromConfig(cfg)
	cfg.HTTPClient = s.iamNet
	s.iam = iam.NewFromConfig(cfg)
	cfg.HTTPClient, cfg.Region = s.ccNet, region
	s.cc = codecommit.NewFromConfig(cfg)
	return s
}

// check asks STS who signs, then at once the policy simulator, the key
// list and CodeCommit in the region.
func (s *awsSession) check(ctx context.Context, r *Report, now time.Time) *Report {
	id, err := s.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		o, f := s.failure(err, "AWS STS", s.stsNet)
		return r.fail(o, f)
	}
	s.stsAccepted = true
	p, ok := parseAWSARN(aws.ToString(id.Arn))
	if !ok {
		return r.fail(Unchecked, Finding{Level: Error, Text: "AWS STS (" + s.stsNet.lastHost() + ") sent an identity gitpat cannot read.",
			Fix: "Check the endpoint address, or whether a proxy is intercepting the connection."})
	}
	r.User = p.ARN
	switch p.Kind {
	case "user":
		r.Name, r.TokenKind = p.Name, "IAM user access key"
		r.add(Finding{Level: Info, Text: fmt.Sprintf("Access key %s of IAM user %s in account %s.", maskKeyID(s.keyID), p.Name, p.Account)})
		if s.userField != "" && !strings.EqualFold(s.userField, p.Name) {
			r.add(Finding{Level: Warn, Text: fmt.Sprintf("The key belongs to IAM user %s, not to %s as entered.", p.Name, s.userField),
				Fix: "Check whose key you copied; the integration should use its own IAM user's key."})
		}
	case "root":
		r.Name, r.TokenKind = "root user", "root user access key"
	default:
		r.TokenKind = "access key"
		for _, name := range s.repos {
			r.Repositories = append(r.Repositories, RepoReport{Name: name, Kind: "repository", Findings: []Finding{{Level: Warn,
				Text: "Not checked: the key is not an IAM user's, and the integration needs one."}}})
		}
		return r.fail(Insufficient, Finding{Level: Error, Text: "The key signs as " + p.ARN + ", not as an IAM user.",
			Fix: "Create a long-term access key (starting with AKIA) for an IAM user with the steps shown."})
	}

	// One round after STS: the account-wide simulation, the one about the
	// named repositories' ARNs, the key list and the repository list, all
	// at once. Only deciding whether a named repository exists may take
	// more: further list pages, or GetRepository when listing is not
	// allowed.
	var (
		sim      *iam.SimulatePrincipalPolicyOutput
		keys     *iam.ListAccessKeysOutput
		repos    *codecommit.ListRepositoriesOutput
		simErr   error
		keysErr  error
		reposErr error
		repoSims *ccRepoSims
		exist    ccExistence
		wg       sync.WaitGroup
	)
	if p.Kind == "user" {
		wg.Go(func() {
			sim, simErr = s.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(p.ARN), ActionNames: slices.Clone(codecommitActions)})
		})
		if len(s.repos) > 0 {
			wg.Go(func() {
				sims := s.simulateRepos(ctx, p, s.repos)
				repoSims = &sims
			})
		}
	}
	wg.Go(func() { keys, keysErr = s.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}) })
	wg.Go(func() {
		repos, reposErr = s.cc.ListRepositories(ctx, &codecommit.ListRepositoriesInput{})
		if len(s.repos) > 0 {
			exist = s.existence(ctx, s.repos, repos, reposErr)
		}
	})
	wg.Wait()

	verified := false
	if p.Kind == "root" {
		r.Outcome = Insufficient
		r.Summary = "This is the AWS account root user's key: never give it to the Jira integration."
		r.add(Finding{Level: Error,
			Text: "This key belongs to the root user of account " + p.Account + ", which can do anything in the account, including closing it.",
			Fix:  "Create an IAM user for the integration with only the CodeCommit permissions it needs (the steps shown), use its key, and delete this root access key.",
			Link: "https://console.aws.amazon.com/iam/home#/security_credentials"})
	} else {
		// Once the simulator has judged each named repository, those
		// verdicts decide; the account-wide one ("*") is context.
		perRepo := repoSims != nil && len(repoSims.errs) == 0
		verified = s.permissions(r, p, sim, simErr, perRepo)
	}
	s.repositories(r, repos, reposErr, verified)
	s.accessKeys(r, p, keys, keysErr, now)
	expiryFindings(r, nil, now, "")
	if len(s.repos) > 0 {
		r.Repositories = s.repoReports(p, s.repos, exist, repoSims)
	}
	return r
}

// repositories reports what CodeCommit in the region answered: the
// repositories the key sees, or why the region does not work.
func (s *awsSession) repositories(r *Report, out *codecommit.ListRepositoriesOutput, err error, verified bool) {
	var he *httpx.Error
	code := awsErrorCode(err)
	switch {
	case err == nil && out != nil:
		var names []string
		for _, rp := range out.Repositories {
			names = append(names, aws.ToString(rp.RepositoryName))
		}
		names = safeNames(names)
		if !verified && !slices.Contains(r.Scopes, "codecommit:ListRepositories") {
			r.Scopes = append(r.Scopes, "codecommit:ListRepositories")
		}
		if len(names) == 0 {
			r.add(Finding{Level: Warn, Text: "There are no CodeCommit repositories in " + s.region + ".",
				Fix: "Pick the region where your repositories are."})
			return
		}
		more := ""
		if aws.ToString(out.NextToken) != "" {
			more = " or more"
		}
		r.add(Finding{Level: Info, Text: fmt.Sprintf("It can list %d%s repositories in %s: %s.", len(names), more, s.region, shortList(names, 5))})
	case errors.As(err, &he) && he.Kind == httpx.KindDNS && !s.custom:
		// STS answered a moment ago, so the network works: the region has no CodeCommit.
		r.Outcome = max(r.Outcome, Insufficient)
		r.add(Finding{Level: Error, Text: "CodeCommit does not run in " + s.region + ": its endpoint " + he.Host + " does not exist.",
			Fix: "Pick the region where your repositories are.", Link: codecommitEndpointsPage})
	case code == "UnrecognizedClientException":
		r.Outcome = max(r.Outcome, Insufficient)
		r.add(Finding{Level: Error, Text: "CodeCommit in " + s.region + " does not accept the key although AWS STS does: the region is not enabled for this account.",
			Fix: "Pick the region where your repositories are, or ask an administrator to enable " + s.region + " for the account.", Link: codecommitEndpointsPage})
	case code == "AccessDeniedException" || code == "AccessDenied":
		if !verified {
			r.add(Finding{Level: Warn, Text: "It may not list repositories in " + s.region + " (codecommit:ListRepositories) either."})
		} else if slices.Contains(r.Scopes, "codecommit:ListRepositories") {
			r.add(Finding{Level: Warn, Text: "CodeCommit in " + s.region + " refused to list repositories although the policy simulator allows it: a condition in a policy may exclude this request.",
				Fix: "Check the conditions (such as source IP or VPC) in the policies of the user."})
		}
	default:
		_, f := s.failure(err, "AWS CodeCommit in "+s.region, s.ccNet)
		r.add(Finding{Level: Warn, Text: "gitpat could not list the repositories in " + s.region + ": " + f.Text, Fix: f.Fix})
	}
}

// accessKeys counts the user's keys against the limit of two.
func (s *awsSession) accessKeys(r *Report, p awsPrincipal, out *iam.ListAccessKeysOutput, err error, now time.Time) {
	who := "IAM user " + p.Name
	if p.Kind == "root" {
		who = "the root user"
	}
	if err != nil || out == nil {
		text := "gitpat could not count the access keys of " + who + "; AWS allows two per user."
		if code := awsErrorCode(err); code == "AccessDenied" || code == "AccessDeniedException" {
			text = "gitpat could not count the access keys of " + who + " (it may not call iam:ListAccessKeys); AWS allows two per user."
		}
		r.add(Finding{Level: Info, Text: text})
		return
	}
	var others []string
	for _, k := range out.AccessKeyMetadata {
		id := aws.ToString(k.AccessKeyId)
		if id == s.keyID {
			if k.CreateDate != nil && !k.CreateDate.After(now) {
				days := int(now.Sub(*k.CreateDate).Hours() / 24)
				r.add(Finding{Level: Info, Text: fmt.Sprintf("It was created on %s, %s ago.", k.CreateDate.UTC().Format("2006-01-02"), plural(days, "day"))})
			}
			continue
		}
		others = append(others, maskKeyID(id)+" ("+strings.ToLower(string(k.Status))+")")
	}
	switch n := len(out.AccessKeyMetadata); {
	case n >= 2:
		r.add(Finding{Level: Warn,
			Text: fmt.Sprintf("%s has %d access keys, the most AWS allows: this one and %s.", upperFirst(who), n, strings.Join(others, ", ")),
			Fix:  "To rotate this key later you must delete the other first; delete it now if nothing uses it.",
			Link: s.keysLink(p)})
	case n == 1:
		r.add(Finding{Level: Info, Text: "It is the only access key of " + who + "; AWS allows two, so a new key can be created before this one is deleted."})
	}
}

func (s *awsSession) keysLink(p awsPrincipal) string {
	if p.Kind == "root" {
		return "https://console.aws.amazon.com/iam/home#/security_credentials"
	}
	return codecommitUserPage(p.Name, "security_credentials")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// awsErrorCode is the error code AWS answered with, or "".
func awsErrorCode(err error) string {
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) {
		return ""
	}
	return ae.ErrorCode()
}

// failure turns a failed call into a verdict and one sentence with its
// fix. It reads the error's type, code and status only, never its text,
// which describes the request.
func (s *awsSession) failure(err error, service string, t *awsTransport) (Outcome, Finding) {
	var he *httpx.Error
	switch {
	case errors.As(err, &he):
		o, f := transportFinding(he, service)
		if he.Kind == httpx.KindDNS && !s.custom {
			f.Fix = "Check that you are online, or on the company VPN; a proxy must be set in HTTPS_PROXY."
		}
		return o, f
	case errors.Is(err, context.Canceled):
		return transportFinding(&httpx.Error{Kind: httpx.KindCanceled}, service)
	case errors.Is(err, context.DeadlineExceeded) && t.lastHost() == "":
		return Unchecked, Finding{Level: Error, Text: "The time for the check ran out before gitpat could ask " + service + ".",
			Fix: "Allow the check more time, then test again."}
	case errors.Is(err, context.DeadlineExceeded):
		return transportFinding(&httpx.Error{Kind: httpx.KindTimeout, Host: t.lastHost()}, service)
	}
	status := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	code, message := "", ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code, message = ae.ErrorCode(), ae.ErrorMessage()
	}
	if status >= 500 {
		return Unchecked, serverError(status, service, "Try again in a few minutes; if it persists, check the AWS Health Dashboard.")
	}
	clock := Finding{Level: Error, Text: "AWS refused the request because this computer's clock is more than 15 minutes off.",
		Fix: "Set the clock to update automatically (network time), then test again."}
	switch code {
	case "InvalidClientTokenId", "UnrecognizedClientException":
		return Rejected, Finding{Level: Error,
			Text: "AWS does not know the access key ID " + maskKeyID(s.keyID) + ": it is mistyped, or the key was deleted or deactivated.",
			Fix:  "Copy the access key ID again (20 characters, starting with AKIA); a key created seconds ago may need a moment, so test again. If the key was deleted or deactivated, create a new one with the steps shown.",
			Link: s.keysPage}
	case "SignatureDoesNotMatch", "InvalidSignatureException":
		// One code, several causes; only a plain mismatch is a wrong
		// secret. Messages as AWS sends them: "Signature expired: … is now
		// earlier than …", "Credential should be scoped to a valid region,
		// not 'ap-southeast-2'. " (STS: cognitect-labs/aws-api#27; IAM:
		// JuliaCloud/AWS.jl#565), "Credential should be scoped to correct
		// service: 'batch'. " (cllunsford/aws-signing-proxy#25).
		switch {
		case strings.HasPrefix(message, "Signature expired") || strings.HasPrefix(message, "Signature not yet current"):
			return Unchecked, clock
		case strings.Contains(message, "scoped to a valid region"):
			return Unchecked, Finding{Level: Error,
				Text: fmt.Sprintf("%s (%s) does not serve the region the request was signed for, so it did not judge the key.", service, t.lastHost()),
				Fix:  "Pick the region where your CodeCommit repositories are; if you set an endpoint, check that it serves that region."}
		case strings.Contains(message, "scoped to correct service"):
			return Unchecked, Finding{Level: Error,
				Text: fmt.Sprintf("%s answered as another AWS service: the request was signed for %s, and the key was not judged.", t.lastHost(), service),
				Fix:  "Check the endpoint address: it must serve STS, IAM and CodeCommit, or leave it empty to use AWS itself."}
		case s.stsAccepted:
			return Unchecked, Finding{Level: Error,
				Text: service + " refused the request's signature although AWS STS accepted the same key moments before, so the secret access key is right: something on the way changed the request.",
				Fix:  "Check for a proxy or a security appliance that rewrites requests to AWS (HTTPS_PROXY), then test again."}
		}
		text := "AWS knows the access key ID, but the secret access key does not match it."
		if s.secretLen != 40 {
			text = fmt.Sprintf("AWS knows the access key ID, but the secret access key does not match it (it has %d characters; a secret access key has 40).", s.secretLen)
		}
		return Rejected, Finding{Level: Error, Text: text,
			Fix:  "Copy the secret access key of this key again, in one piece. AWS shows it only once: if it is lost, create a new access key and delete this one.",
			Link: s.keysPage}
	case "ExpiredToken", "ExpiredTokenException":
		return Rejected, Finding{Level: Error, Text: "AWS says this key has expired.",
			Fix: "Create a long-term access key (starting with AKIA) for an IAM user with the steps shown.", Link: s.keysPage}
	case "RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture":
		return Unchecked, clock
	case "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded":
		return Unchecked, Finding{Level: Error, Text: service + " is limiting requests from this account just now.",
			Fix: "Wait a minute and test again."}
	case "InternalFailure", "InternalError", "InternalFailureException", "ServiceUnavailable", "ServiceUnavailableException":
		return Unchecked, serverError(max(status, http.StatusInternalServerError), service, "Try again in a few minutes; if it persists, check the AWS Health Dashboard.")
	case "":
	default:
		return Unchecked, Finding{Level: Error, Text: service + " refused the request (" + safeCode(code) + ").",
			Fix: "Test again; if it persists, check the region and the policies of the key's user."}
	}
	if status != 0 {
		return Unchecked, Finding{Level: Error, Text: fmt.Sprintf("%s did not answer like %s (%d %s).", t.lastHost(), service, status, http.StatusText(status)),
			Fix: "Check the endpoint address, or whether a proxy or a Wi-Fi sign-in page is intercepting the connection."}
	}
	return Unchecked, Finding{Level: Error, Text: "gitpat could not send the request to " + service + ".",
		Fix: "Check the region and the endpoint, then try again."}
}

// safeCode shows an error code from an answer only if it looks like one.
func safeCode(code string) string {
	if len(code) > 64 || code == "" || strings.ContainsFunc(code, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == ':' || r == '-')
	}) {
		return "an unknown error"
	}
	return code
}
