package hosts

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// ServerURLError says why a typed server address cannot be used.
type ServerURLError struct{ Reason string }

func (e *ServerURLError) Error() string { return e.Reason }

// mistypedScheme is the start of an address without "://" whose first
// word is followed by slashes the way a scheme is.
var mistypedScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*(?::/|:?//)`)

// ParseServerURL reads a server address as people paste it: with or
// without a scheme, with trailing slashes, spaces around it, a query or a
// fragment (dropped). It keeps the path (sub-path installs and collection
// URLs need it) without its trailing slash. Plain http is refused unless
// allowHTTP; user names and passwords in the URL are always refused, since
// they would be sent along.
func ParseServerURL(raw string, allowHTTP bool) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, &ServerURLError{"Enter the server address."}
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return nil, &ServerURLError{"The server address contains a space."}
	}
	if !strings.Contains(s, "://") {
		// "htps//host", "https:/host": a mistyped scheme, which would
		// otherwise become a server called "htps" or "https".
		if m := mistypedScheme.FindString(s); m != "" {
			return nil, &ServerURLError{"The server address starts with \"" + m + "\" instead of \"https://\"."}
		}
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &ServerURLError{"The server address is not a valid URL (" + err.Error() + ")."}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !allowHTTP {
			return nil, &ServerURLError{"The server address uses http://, which would send the token unencrypted; use https://."}
		}
	default:
		return nil, &ServerURLError{"The server address must start with https:// (not " + u.Scheme + "://)."}
	}
	if u.User != nil {
		return nil, &ServerURLError{"Remove the user name or password from the server address."}
	}
	host := u.Hostname()
	if host == "" {
		return nil, &ServerURLError{"The server address has no host name."}
	}
	if strings.ContainsAny(host, "_") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, "..") {
		return nil, &ServerURLError{"\"" + host + "\" is not a valid host name."}
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil || p == "0" {
			return nil, &ServerURLError{"The port \"" + p + "\" is not valid."}
		}
	}
	return &url.URL{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Host), Path: strings.TrimRight(u.Path, "/")}, nil
}
