package ui

import (
	"encoding/json"
	"slices"

	"fyne.io/fyne/v2"

	"github.com/gitpat/gitpat/internal/savedlist"
)

// SavedList keeps the list of saved tokens (no secrets); *savedlist.File
// is the real one, shared with `gitpat --remind` and `gitpat-check --saved`.
type SavedList interface {
	Load() ([]savedlist.Token, error)
	Save([]savedlist.Token) error
}

// memoryList is a SavedList that lives as long as the window.
type memoryList struct{ list []savedlist.Token }

func (m *memoryList) Load() ([]savedlist.Token, error) { return slices.Clone(m.list), nil }
func (m *memoryList) Save(l []savedlist.Token) error   { m.list = slices.Clone(l); return nil }

// loadSaved reads the list; a list that cannot be read shows as empty,
// and the Saved tokens tab says why.
func (u *UI) loadSaved() []savedToken {
	list, err := u.savedList.Load()
	if err != nil && u.saved != nil {
		u.saved.say(err.Error())
	}
	return list
}

// prefSavedLegacy is the preference that held the list before it moved to
// its own file; read once to move the entries over, then cleared.
const prefSavedLegacy = "saved.tokens"

// migrateSavedPreference moves the entries of the old preference into the
// list, keeping any the list already has, and clears the preference once
// they are safely written.
func migrateSavedPreference(p fyne.Preferences, list SavedList) {
	raw := p.String(prefSavedLegacy)
	if raw == "" {
		return
	}
	var old []savedlist.Token
	if json.Unmarshal([]byte(raw), &old) != nil {
		return // unreadable: leave it for a person to look at
	}
	cur, err := list.Load()
	if err != nil {
		return
	}
	for _, o := range old {
		if !slices.ContainsFunc(cur, func(c savedlist.Token) bool { return c.Account == o.Account }) {
			cur = append(cur, o)
		}
	}
	if list.Save(cur) == nil {
		p.RemoveValue(prefSavedLegacy)
	}
}
