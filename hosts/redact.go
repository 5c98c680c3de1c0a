package hosts

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
)

// redactedText replaces a secret, in whatever form it came back.
const redactedText = "[redacted]"

// redactor blanks secrets out of text a server may have echoed: a proxy or
// a misconfigured server can copy the request's Authorization header into
// a message. A request carries a secret as it is (Bearer, PRIVATE-TOKEN),
// base64-encoded with a user name (Basic base64(":" + token) for the Azure
// family, base64("USER:TOKEN") for hosts that sign in with a user name),
// URL-encoded (query parameters) or JSON-escaped, so each form is blanked.
type redactor struct {
	plain   []string // the secrets and their escaped forms
	secrets [][]byte // the secrets, to find inside decoded base64
}

// minSecretLen is the shortest text treated as a secret: shorter values
// (a test's "x") would blank ordinary words.
const minSecretLen = 4

func newRedactor(secrets []string) redactor {
	var x redactor
	add := func(s string) {
		for _, p := range x.plain {
			if p == s {
				return
			}
		}
		x.plain = append(x.plain, s)
	}
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		x.secrets = append(x.secrets, []byte(s))
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if b, err := json.Marshal(s); err == nil {
			add(string(b[1 : len(b)-1]))
		}
		add(strings.ReplaceAll(s, "/", `\/`)) // JSON writers that escape the solidus
	}
	return x
}

// scrub returns s with every form of every secret blanked out.
func (x redactor) scrub(s string) string {
	if len(x.secrets) == 0 || s == "" {
		return s
	}
	for _, p := range x.plain {
		if strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, redactedText)
		}
	}
	return x.scrubBase64(s)
}

// scrubBase64 blanks every run of base64 characters that decodes, at any
// alignment and in either alphabet, to text holding a secret: the secret
// may sit after any prefix (":", "user@example.com:"), which shifts its
// encoding, and the run may be glued to other text.
func (x redactor) scrubBase64(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isBase64Char(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Char(s[j]) {
			j++
		}
		if x.base64HoldsSecret(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(redactedText)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isBase64Char reports whether c may be part of base64 text in either
// alphabet, padding included.
func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("+/-_=", c) >= 0
}

// base64Alphabets are the standard and the URL-safe alphabet, each with
// the two characters only it has.
var base64Alphabets = []struct {
	enc   *base64.Encoding
	extra string
}{{base64.RawStdEncoding, "+/"}, {base64.RawURLEncoding, "-_"}}

// base64HoldsSecret decodes each stretch of run that one alphabet can read
// at each of the four alignments.
func (x redactor) base64HoldsSecret(run string) bool {
	shortest := len(x.secrets[0])
	for _, s := range x.secrets {
		shortest = min(shortest, len(s))
	}
	for _, a := range base64Alphabets {
		for _, part := range strings.FieldsFunc(run, func(r rune) bool {
			return r == '=' || (strings.ContainsRune("+/-_", r) && !strings.ContainsRune(a.extra, r))
		}) {
			if len(part) < shortest*4/3 {
				continue
			}
			for off := range 4 {
				p := part[off:]
				if len(p)%4 == 1 { // no base64 ends so: drop the odd character
					p = p[:len(p)-1]
				}
				dec, err := a.enc.DecodeString(p)
				if err != nil {
					continue
				}
				for _, sec := range x.secrets {
					if bytes.Contains(dec, sec) {
						return true
					}
				}
			}
		}
	}
	return false
}

// scrubAll applies scrub to every string the value holds: fields, slices,
// maps' values and pointers, however deep. Reports grow fields; walking
// them all means a new field cannot be forgotten.
func scrubAll(v reflect.Value, scrub func(string) string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scrubAll(v.Elem(), scrub)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scrubAll(v.Field(i), scrub)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scrubAll(v.Index(i), scrub)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			scrubAll(e, scrub)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		if s := v.String(); v.CanSet() {
			if clean := scrub(s); clean != s {
				v.SetString(clean)
			}
		}
	}
}
