package hoststest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// AWSAccount is the account every fake key belongs to.
const AWSAccount = "123456789012"

// AWSKey is how the fake AWS treats one access key.
type AWSKey struct {
	Secret string
	User   string // the IAM user's name; "" for the account's root user
	// Decisions gives an action's EvalDecision (allowed, explicitDeny,
	// implicitDeny) in the policy simulator; unlisted actions are allowed.
	// "scpDeny" is an implicitDeny from a service control policy; "omit"
	// leaves the action out of the answer.
	Decisions          map[string]string
	NoSimulator        bool   // AccessDenied on iam:SimulatePrincipalPolicy
	NoListKeys         bool   // AccessDenied on iam:ListAccessKeys
	NoListRepositories bool   // AccessDeniedException on codecommit:ListRepositories
	NoRepositories     bool   // the region holds no repositories
	IAMDown            bool   // every IAM call answers 500 ServiceFailure
	Expired            bool   // ExpiredToken on every call
	SecondKey          string // another access key ID of the same user
	SecondKeyInactive  bool
	Created            string // CreateDate of this key; 2026-05-01T09:30:00Z when empty

	// How particular repositories are treated. AllowOnly: a customer
	// managed policy, JiraCodeCommitRepos, allows GitPull, GetRepository,
	// BatchGetRepositories, CreateBranch and CreatePullRequest on these
	// repositories' ARNs only; nil when the key's Decisions hold for every
	// resource. RepoDecisions overrides both in the simulator for one
	// repository and action: allowed, explicitDeny, implicitDeny, scpDeny,
	// scpExplicitDeny, boundaryDeny or conditional.
	AllowOnly     []string
	RepoDecisions map[string]map[string]string
	// LegacySimulator answers as the simulator did before SDK iam
	// v1.57.0: one result per action and resource, EvalResourceName the
	// resource's ARN, no ResourceSpecificResults.
	LegacySimulator    bool
	ResourceSimDown    bool // 500 ServiceFailure on simulations that name resources
	SimulatorThrottled bool // Throttling "Rate exceeded" on simulations that name resources
	CodeCommitDown     bool // 500 InternalFailure on ListRepositories, BatchGetRepositories and GetRepository
}

// AWS is one endpoint answering for STS, IAM and CodeCommit, as a
// --url test endpoint does: STS and IAM in the query protocol with XML
// answers, CodeCommit in JSON 1.1. It tells the services apart by the
// SigV4 credential scope and checks every signature with the SDK's own
// signer, so a wrong secret gets a real SignatureDoesNotMatch.
type AWS struct {
	*Server
	Keys map[string]AWSKey
	// DisabledRegions answer UnrecognizedClientException from CodeCommit,
	// as opt-in regions do before the account enables them.
	DisabledRegions []string
	// ServedRegions, when set, are the only regions the endpoint serves:
	// a request signed for another answers SignatureDoesNotMatch
	// "Credential should be scoped to a valid region, not 'X'. ", as STS
	// and IAM do (cognitect-labs/aws-api#27, JuliaCloud/AWS.jl#565).
	ServedRegions []string
	// OnlyService, when set, is the one service the endpoint is: a request
	// signed for another answers "Credential should be scoped to correct
	// service: 'X'. " (cllunsford/aws-signing-proxy#25).
	OnlyService string
	// AlteredInTransit makes every CodeCommit signature fail to match, as
	// when a proxy rewrites requests on the way while STS, reached
	// directly, accepts the same key.
	AlteredInTransit bool
	// Barrier holds every call after GetCallerIdentity until this many
	// have arrived, which proves a check sends them at once; 0 for none.
	Barrier int
	// Repositories are what CodeCommit lists in every region; nil for the
	// two recorded in aws/list-repositories.json. ListPageSize is how many
	// names one ListRepositories page holds (AWS: 1,000, when 0).
	Repositories []string
	ListPageSize int
	// SimPageSize, when set, is the most EvaluationResults one simulation
	// page holds.
	SimPageSize int

	t       testing.TB
	mu      sync.Mutex
	calls   []string
	arrived int
	gate    chan struct{}
	ids     int
	simARNs []string
}

// NewAWS starts the fake.
func NewAWS(t testing.TB, keys map[string]AWSKey) *AWS {
	a := &AWS{Keys: keys, t: t, gate: make(chan struct{})}
	a.Server = start(t, http.HandlerFunc(a.serve))
	return a
}

// Calls returns "service region Action" for every signed call so far, in
// the order they arrived.
func (a *AWS) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

// SetBarrier sets Barrier safely while the server runs.
func (a *AWS) SetBarrier(n int) {
	a.mu.Lock()
	a.Barrier = n
	a.mu.Unlock()
}

// awsCall is one request as the fake understood it.
type awsCall struct {
	service, region, action string
	form                    url.Values // query protocol parameters
	key                     AWSKey
	keyID                   string
}

func (a *AWS) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Method != http.MethodPost || r.URL.Path != "/" {
		a.unexpected(w, r)
		return
	}
	sig, ok := parseSigV4(r.Header.Get("Authorization"))
	if !ok {
		a.t.Errorf("fake AWS: request without a SigV4 Authorization header")
		a.queryError(w, "sts", http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
		return
	}
	c := awsCall{service: sig.service, region: sig.region, keyID: sig.keyID}
	switch c.service {
	case "sts", "iam":
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			a.unexpected(w, r)
			return
		}
		c.form, _ = url.ParseQuery(string(body))
		c.action = c.form.Get("Action")
		if want := map[string]string{"sts": "2011-06-15", "iam": "2010-05-08"}[c.service]; c.form.Get("Version") != want {
			a.t.Errorf("fake AWS: %s %s with Version %q, want %s", c.service, c.action, c.form.Get("Version"), want)
		}
		if c.region != "us-east-1" {
			a.t.Errorf("fake AWS: %s signed for region %s; global services sign for us-east-1", c.service, c.region)
		}
	case "codecommit":
		var ok bool
		c.action, ok = strings.CutPrefix(r.Header.Get("X-Amz-Target"), "CodeCommit_20150413.")
		if !ok || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" || !json.Valid(body) {
			a.unexpected(w, r)
			return
		}
	default:
		a.unexpected(w, r)
		return
	}
	a.mu.Lock()
	a.calls = append(a.calls, c.service+" "+c.region+" "+c.action)
	a.mu.Unlock()

	key, known := a.Keys[sig.keyID]
	switch {
	case !known:
		a.fail(w, c, "InvalidClientTokenId", "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	case len(a.ServedRegions) > 0 && !slices.Contains(a.ServedRegions, c.region):
		a.fail(w, c, "SignatureDoesNotMatch", "InvalidSignatureException", "Credential should be scoped to a valid region, not '"+c.region+"'. ")
		return
	case a.OnlyService != "" && c.service != a.OnlyService:
		a.fail(w, c, "SignatureDoesNotMatch", "InvalidSignatureException", "Credential should be scoped to correct service: '"+a.OnlyService+"'. ")
		return
	case !sig.valid(r, body, key.Secret) || (a.AlteredInTransit && c.service == "codecommit"):
		msg := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
		a.fail(w, c, "SignatureDoesNotMatch", "InvalidSignatureException", msg)
		return
	case key.Expired:
		a.fail(w, c, "ExpiredToken", "ExpiredTokenException", "The security token included in the request is expired")
		return
	}
	c.key = key
	if c.action != "GetCallerIdentity" && !a.waitForOthers(r.Context()) {
		return
	}
	switch c.service + " " + c.action {
	case "sts GetCallerIdentity":
		a.callerIdentity(w, c)
	case "iam SimulatePrincipalPolicy":
		if c.form.Has("ResourceArns.member.1") {
			a.simulateResources(w, c)
			return
		}
		a.simulate(w, c)
	case "iam ListAccessKeys":
		a.listAccessKeys(w, c)
	case "codecommit ListRepositories":
		a.listRepositories(w, c, body)
	case "codecommit GetRepository":
		a.getRepository(w, c, body)
	case "codecommit BatchGetRepositories":
		a.batchGetRepositories(w, c, body)
	default:
		a.unexpected(w, r)
	}
}

// waitForOthers holds a call at the barrier; false when the client gave up.
func (a *AWS) waitForOthers(ctx context.Context) bool {
	a.mu.Lock()
	a.arrived++
	if a.Barrier > 0 && a.arrived == a.Barrier {
		close(a.gate)
	}
	gate, barrier, arrived := a.gate, a.Barrier, a.arrived
	a.mu.Unlock()
	if barrier == 0 {
		return true
	}
	select {
	case <-gate:
		return true
	case <-ctx.Done():
		a.t.Errorf("fake AWS: the calls after GetCallerIdentity were not sent at once (only %d of %d arrived together)", arrived, barrier)
		return false
	}
}

func (k AWSKey) arn() string {
	if k.User == "" {
		return "arn:aws:iam::" + AWSAccount + ":root"
	}
	return "arn:aws:iam::" + AWSAccount + ":user/" + k.User
}

func (a *AWS) callerIdentity(w http.ResponseWriter, c awsCall) {
	userID := "AIDA2KCEVSQ6C2EXAMPLE"
	if c.key.User == "" {
		userID = AWSAccount
	}
	a.xml(w, http.StatusOK, "aws/get-caller-identity.xml", map[string]any{"Arn": c.key.arn(), "UserID": userID, "Account": AWSAccount})
}

func (a *AWS) simulate(w http.ResponseWriter, c awsCall) {
	arn := c.key.arn()
	if got := c.form.Get("PolicySourceArn"); got != arn {
		a.t.Errorf("fake AWS: SimulatePrincipalPolicy for %q, want the caller %q", got, arn)
	}
	switch {
	case c.key.IAMDown:
		a.queryError(w, "iam", http.StatusInternalServerError, "ServiceFailure", "The request processing has failed because of an unknown error, exception or failure.")
		return
	case c.key.NoSimulator:
		a.queryError(w, "iam", http.StatusForbidden, "AccessDenied", accessDenied(arn, "iam:SimulatePrincipalPolicy", "user "+c.key.User))
		return
	}
	type statement struct {
		ID, Type   string
		Start, End int
	}
	type result struct {
		Action, Decision string
		Statements       []statement
		SCPDenied        bool
	}
	var results []result
	for i := 1; c.form.Has(fmt.Sprintf("ActionNames.member.%d", i)); i++ {
		action := c.form.Get(fmt.Sprintf("ActionNames.member.%d", i))
		res := result{Action: action, Decision: c.key.Decisions[action]}
		if res.Decision == "" && c.key.AllowOnly != nil {
			// A policy that names repository ARNs does not allow the
			// action on every resource ("*") [inferred].
			res.Decision = "implicitDeny"
		}
		switch res.Decision {
		case "":
			res.Decision = "allowed"
			res.Statements = []statement{{"AWSCodeCommitPowerUser", "aws-managed", 41, 1187}}
		case "explicitDeny":
			res.Statements = []statement{{"DenyCodeCommitWrites", "user", 37, 214}}
		case "scpDeny":
			res.Decision, res.SCPDenied = "implicitDeny", true
		case "omit":
			continue
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		a.t.Errorf("fake AWS: SimulatePrincipalPolicy without ActionNames")
	}
	a.xml(w, http.StatusOK, "aws/simulate-principal-policy.xml", map[string]any{"Results": results})
}

func (a *AWS) listAccessKeys(w http.ResponseWriter, c awsCall) {
	if c.form.Has("UserName") {
		a.t.Errorf("fake AWS: ListAccessKeys names a user; the caller's own keys need none")
	}
	if c.key.IAMDown {
		a.queryError(w, "iam", http.StatusInternalServerError, "ServiceFailure", "The request processing has failed because of an unknown error, exception or failure.")
		return
	}
	if c.key.NoListKeys {
		resource := "user " + c.key.User
		if c.key.User == "" {
			resource = "root"
		}
		a.queryError(w, "iam", http.StatusForbidden, "AccessDenied", accessDenied(c.key.arn(), "iam:ListAccessKeys", resource))
		return
	}
	type key struct{ UserName, ID, Status, Created string }
	name := orString(c.key.User, AWSAccount)
	keys := []key{{name, c.keyID, "Active", orString(c.key.Created, "2026-05-01T09:30:00Z")}}
	if c.key.SecondKey != "" {
		status := "Active"
		if c.key.SecondKeyInactive {
			status = "Inactive"
		}
		keys = append(keys, key{name, c.key.SecondKey, status, "2025-02-14T16:05:44Z"})
	}
	a.xml(w, http.StatusOK, "aws/list-access-keys.xml", map[string]any{"Keys": keys})
}

func (a *AWS) listRepositories(w http.ResponseWriter, c awsCall, body []byte) {
	switch {
	case slices.Contains(a.DisabledRegions, c.region):
		a.jsonError(w, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case c.key.CodeCommitDown:
		a.jsonErrorStatus(w, http.StatusInternalServerError, "InternalFailure", "We encountered an internal error. Please try again.")
	case c.key.NoListRepositories:
		a.jsonError(w, "AccessDeniedException", accessDenied(c.key.arn(), "codecommit:ListRepositories", "*"))
	case c.key.NoRepositories:
		a.jsonBody(w, http.StatusOK, Recorded("aws/list-repositories-empty.json"))
	case a.Repositories != nil:
		a.listRepositoryPage(w, body)
	default:
		a.jsonBody(w, http.StatusOK, Recorded("aws/list-repositories.json"))
	}
}

func accessDenied(arn, action, resource string) string {
	return fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", arn, action, resource, action)
}

// fail answers an authentication failure in the service's own protocol.
func (a *AWS) fail(w http.ResponseWriter, c awsCall, queryCode, jsonCode, msg string) {
	if c.service == "codecommit" {
		a.jsonError(w, jsonCode, msg)
		return
	}
	a.queryError(w, c.service, http.StatusForbidden, queryCode, msg)
}

var awsTemplates = template.Must(template.New("aws").Funcs(template.FuncMap{
	"xml": func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	},
	"json": func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	},
}).ParseFS(testdata, "testdata/aws/*.xml", "testdata/aws/*.json"))

// render fills a recorded answer from testdata/aws with data and a new
// request ID, which it also returns.
func (a *AWS) render(name string, data map[string]any) ([]byte, string) {
	a.mu.Lock()
	a.ids++
	id := fmt.Sprintf("c0ffee00-0000-4000-8000-%012d", a.ids)
	a.mu.Unlock()
	data["RequestID"] = id
	var b bytes.Buffer
	if err := awsTemplates.ExecuteTemplate(&b, strings.TrimPrefix(name, "aws/"), data); err != nil {
		a.t.Errorf("fake AWS: %v", err)
	}
	return b.Bytes(), id
}

func (a *AWS) xml(w http.ResponseWriter, status int, name string, data map[string]any) {
	body, id := a.render(name, data)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", id)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (a *AWS) queryError(w http.ResponseWriter, service string, status int, code, msg string) {
	ns := map[string]string{"sts": "https://sts.amazonaws.com/doc/2011-06-15/", "iam": "https://iam.amazonaws.com/doc/2010-05-08/"}[service]
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	a.xml(w, status, "aws/query-error.xml", map[string]any{"Namespace": ns, "Type": typ, "Code": code, "Message": msg})
}

func (a *AWS) jsonError(w http.ResponseWriter, code, msg string) {
	a.jsonErrorStatus(w, http.StatusBadRequest, code, msg)
}

func (a *AWS) jsonErrorStatus(w http.ResponseWriter, status int, code, msg string) {
	body, _ := a.render("json-error.json", map[string]any{"Code": code, "Message": msg})
	w.Header().Set("X-Amzn-Errortype", code+":")
	a.jsonBody(w, status, body)
}

func (a *AWS) jsonBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "c0ffee00-0000-4000-8000-000000000000")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sigV4 is a parsed Authorization header:
// AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX
type sigV4 struct {
	keyID, date, region, service string
	signed                       []string
	signature                    string
}

func parseSigV4(h string) (sigV4, bool) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return sigV4{}, false
	}
	var s sigV4
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return sigV4{}, false
			}
			s.keyID, s.date, s.region, s.service = scope[0], scope[1], scope[2], scope[3]
		case "SignedHeaders":
			s.signed = strings.Split(v, ";")
		case "Signature":
			s.signature = v
		}
	}
	return s, s.keyID != "" && s.signature != "" && slices.Contains(s.signed, "host")
}

// valid signs a copy of the request with secret and the SDK's signer and
// compares the signatures.
func (s sigV4) valid(r *http.Request, body []byte, secret string) bool {
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || when.Format("20060102") != s.date {
		return false
	}
	req, err := http.NewRequest(r.Method, "https://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return false
	}
	for _, h := range s.signed {
		switch h {
		case "host":
		case "content-length":
			req.ContentLength = r.ContentLength
		default:
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: s.keyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), s.service, s.region, when); err != nil {
		return false
	}
	mine, ok := parseSigV4(req.Header.Get("Authorization"))
	return ok && slices.Equal(mine.signed, s.signed) && hmac.Equal([]byte(mine.signature), []byte(s.signature))
}
