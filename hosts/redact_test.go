package hosts

import (
	"encoding/base64"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Canaries for the redaction tests: an Azure DevOps token, an AWS secret
// access key (with + and /, which URL-encoding changes) and a GitHub token.
const (
	redactAzure  = "canaryazureredact7canaryazureredact7canaryazureredac"
	redactSecret = "CANARY/redact+Secret/Key+0123456789abcde"
	redactGitHub = "ghp_CANARYr3dactCANARYr3dactCANARYr3dact"
)

// encodedForms are the ways a request carried the secrets: as sent in a
// header, Basic auth with an empty or a real user name in both base64
// alphabets, URL-encoded and JSON-escaped.
func encodedForms(secret string) map[string]string {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	return map[string]string{
		"raw":                 secret,
		"Bearer header":       "Bearer " + secret,
		"Basic :token":        "Basic " + b64(":"+secret),
		"Basic user:token":    "Basic " + b64("jamal@fabrikam.com:"+secret),
		"Basic short user":    "Basic " + b64("jo:"+secret),
		"base64 alone":        b64(secret),
		"base64url :token":    base64.RawURLEncoding.EncodeToString([]byte(":" + secret)),
		"query-escaped":       url.QueryEscape(secret),
		"path-escaped":        url.PathEscape(secret),
		"JSON solidus escape": strings.ReplaceAll(secret, "/", `\/`),
	}
}

func TestRedactorBlanksEveryFormARequestCarried(t *testing.T) {
	x := newRedactor([]string{redactAzure, redactSecret, redactGitHub})
	for _, secret := range []string{redactAzure, redactSecret, redactGitHub} {
		for name, form := range encodedForms(secret) {
			text := `The proxy said: "` + form + `", then closed.`
			got := x.scrub(text)
			if strings.Contains(got, form) || !strings.Contains(got, redactedText) {
				t.Errorf("%s of %.10s…: not blanked: %q", name, secret, got)
			}
			if !strings.HasPrefix(got, "The proxy said: ") || !strings.HasSuffix(got, `, then closed.`) {
				t.Errorf("%s: blanked more than the secret: %q", name, got)
			}
		}
	}
}

func TestRedactorLeavesOrdinaryTextAlone(t *testing.T) {
	x := newRedactor([]string{redactAzure, redactSecret})
	for _, text := range []string{
		"It signs in to the organization myorg as Jamal Hartnett (jamal@fabrikam.com).",
		"Basic " + base64.StdEncoding.EncodeToString([]byte(":another-token-entirely-0123456789")),
		"https://dev.azure.com/myorg/_usersSettings/tokens",
		"arn:aws:iam::123456789012:user/jira-codecommit",
	} {
		if got := x.scrub(text); got != text {
			t.Errorf("scrub changed %q to %q", text, got)
		}
	}
}

// TestRedactReachesEveryStringInAReport fills every string a Report holds,
// found by reflection so that a field added later is covered too, with an
// encoded secret, and expects redact to blank them all.
func TestRedactReachesEveryStringInAReport(t *testing.T) {
	echoed := "Basic " + base64.StdEncoding.EncodeToString([]byte(":"+redactAzure))
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &Report{ExpiresAt: &exp}
	fill(reflect.ValueOf(r).Elem(), echoed)
	r.redact([]string{redactAzure})
	if b := string(r.JSON()); strings.Contains(b, echoed) || strings.Contains(b, "OnNhbmFyeWF6dXJl") {
		t.Fatalf("a report field kept the encoded token:\n%s", b)
	}
	if !strings.Contains(r.Findings[0].Fix, redactedText) {
		t.Errorf("a finding's fix was not redacted: %q", r.Findings[0].Fix)
	}
}

// fill sets every string reachable from v to s, giving slices one element.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := range v.Len() {
			fill(v.Index(i), s)
		}
	case reflect.Pointer:
		if v.IsNil() && v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem() != reflect.TypeOf(time.Time{}) {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !v.IsNil() {
			fill(v.Elem(), s)
		}
	}
}

func FuzzRedactorBase64(f *testing.F) {
	f.Add("jamal@fabrikam.com:", "before ", " after", true)
	f.Add(":", "", "", false)
	f.Add("x", "Basic ", "==", true)
	f.Fuzz(func(t *testing.T, prefix, before, after string, urlSafe bool) {
		enc := base64.StdEncoding
		if urlSafe {
			enc = base64.URLEncoding
		}
		x := newRedactor([]string{redactAzure})
		encoded := enc.EncodeToString([]byte(prefix + redactAzure))
		got := x.scrub(before + encoded + after)
		if strings.Contains(got, encoded) {
			t.Fatalf("base64 of %q+token survived: %q", prefix, got)
		}
		// Whatever survives must not decode back to the token at any offset.
		for _, word := range strings.FieldsFunc(got, func(r rune) bool { return !isBase64Char(byte(r)) || r > 127 }) {
			if x.base64HoldsSecret(word) {
				t.Fatalf("a decodable token survived in %q", got)
			}
		}
	})
}
