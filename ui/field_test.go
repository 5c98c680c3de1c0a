package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestOpenTokenPageSaysWhatIsMissingUnderTheField: with no organization,
// Open token page puts the message under the Organization field, focuses
// it, opens nothing, and does not move the button.
func TestOpenTokenPageSaysWhatIsMissingUnderTheField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.tabFor(t, "azure-devops")
	d := fyne.CurrentApp().Driver()
	before := d.AbsolutePositionForObject(tab.openBtn)
	test.Tap(tab.openBtn)
	if p := tab.rows["org"].problem; !strings.HasPrefix(p, "Enter your Azure DevOps organization") || !tab.rows["org"].note.Visible() {
		t.Errorf("under Organization: %q", p)
	}
	if len(f.opened) != 0 || len(tab.openHelp.Objects) != 0 {
		t.Errorf("opened %v; under the button: %q", f.opened, textOf(tab.openHelp))
	}
	if f.ui.win.Canvas().Focused() != tab.inputs["org"].focus {
		t.Errorf("focus on %T", f.ui.win.Canvas().Focused())
	}
	if after := d.AbsolutePositionForObject(tab.openBtn); after != before {
		t.Errorf("Open token page moved from %v to %v", before, after)
	}
	// Typing a valid name takes the message away; the page opens.
	field(tab, "org").SetText("myorg")
	if p := tab.rows["org"].problem; p != "" {
		t.Errorf("still under Organization: %q", p)
	}
	test.Tap(tab.openBtn)
	if len(f.opened) != 1 || f.opened[0] != "https://dev.azure.com/myorg/_usersSettings/tokens" {
		t.Errorf("opened %v", f.opened)
	}
}

// TestTestSaysWhatIsWrongUnderEachField: an organization with a space and
// a date gitpat cannot read are each named under their own field when
// Test is pressed, nothing is sent and no result is shown.
func TestTestSaysWhatIsWrongUnderEachField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.tabFor(t, "azure-devops")
	field(tab, "org").SetText("my org")
	field(tab, "expires").SetText("31/31/2027")
	tab.secrets[0].SetText(strings.Repeat("canaryfield", 5)[:52])
	// While typing, no new message appears (nothing moves under the mouse).
	if tab.rows["org"].problem != "" || tab.rows["expires"].problem != "" {
		t.Fatal("a message appeared while typing")
	}
	test.Tap(tab.testBtn)
	if p := tab.rows["org"].problem; !strings.Contains(p, `"my org" is not an Azure DevOps organization name`) {
		t.Errorf("under Organization: %q", p)
	}
	if p := tab.rows["expires"].problem; !strings.Contains(p, "YYYY-MM-DD") {
		t.Errorf("under Expiry date: %q", p)
	}
	if tab.busy || len(tab.result.Objects) != 0 {
		t.Error("checked anyway")
	}
	if f.ui.win.Canvas().Focused() != tab.inputs["org"].focus {
		t.Errorf("focus on %T, not the first field with a problem", f.ui.win.Canvas().Focused())
	}
}

// TestMistypedServerIsRefusedUnderTheField: htps//host does not become a
// server called "htps".
func TestMistypedServerIsRefusedUnderTheField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	field(tab, "url").SetText("htps//github.example.com")
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	if p := tab.rows["url"].problem; !strings.Contains(p, `starts with "htps//" instead of "https://"`) {
		t.Errorf("under Server URL: %q", p)
	}
	if len(tab.result.Objects) != 0 || len(f.github.Requests()) != 0 {
		t.Error("checked anyway")
	}
}

// TestMissingCAFileSaysSoUnderTheField: the message names the file and
// the fix, under the CA file field, not the raw error in the result.
func TestMissingCAFileSaysSoUnderTheField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	missing := filepath.Join(t.TempDir(), "nope.pem")
	tab.caFile.SetText(missing)
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	await(t, f.events, evResult)
	p := tab.caRow.problem
	if !strings.Contains(p, "gitpat cannot read the CA file "+missing+": it does not exist.") || !strings.Contains(p, "Choose…") {
		t.Errorf("under CA file: %q", p)
	}
	if strings.Contains(textOf(f.ui.win.Content()), "no such file") || len(tab.result.Objects) != 0 {
		t.Errorf("raw error or result shown: %s", textOf(tab.result))
	}
	if f.ui.win.Canvas().Focused() != fyne.Focusable(tab.caFile) {
		t.Errorf("focus on %T", f.ui.win.Canvas().Focused())
	}
}

// TestEmptyTokenIsAskedForUnderItsField.
func TestEmptyTokenIsAskedForUnderItsField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.tabFor(t, "codecommit")
	tab.secrets[0].SetText("AKIACANARYUIUIUIUIUI")
	test.Tap(tab.testBtn)
	if p := tab.secretRows[1].problem; p != "Paste the secret access key first." {
		t.Errorf("under the secret access key: %q", p)
	}
	if p := tab.secretRows[0].problem; p != "" {
		t.Errorf("under the key ID: %q", p)
	}
}

func TestLabelsInSentencesKeepAcronyms(t *testing.T) {
	for in, want := range map[string]string{"Access key ID": "access key ID", "HTTP password": "HTTP password", "Token": "token", "": ""} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q", in, got)
		}
	}
}
