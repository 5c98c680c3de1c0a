package ui

import "github.com/gitpat/gitpat/hosts"

// What a user typed besides the credential (the server, the organization,
// the region, the CA file, which server variant) is kept in the
// preferences per tab, so a restart does not ask again. Never a secret:
// those are not fields, and fields about one token (hosts.Field.PerToken,
// its expiry date) are not kept either.

// prefField is the preference holding one remembered value of a tab.
func prefField(h *hosts.Host, name string) string { return "tab." + h.ID + "." + name }

// remember keeps a value typed in a host's tab.
func (u *UI) remember(h *hosts.Host, name, value string) {
	u.app.Preferences().SetString(prefField(h, name), value)
}

// recall returns a remembered value, or def.
func (u *UI) recall(h *hosts.Host, name, def string) string {
	return u.app.Preferences().StringWithFallback(prefField(h, name), def)
}
