package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestFieldsAreRememberedButNeverTheToken: the server, organization,
// region, IAM user and CA file come back in a new window; no credential
// and no expiry date is in the preferences.
func TestFieldsAreRememberedButNeverTheToken(t *testing.T) {
	a := test.NewTempApp(t)
	f := newSavedFixture(t, a)
	u := f.UI
	gh := u.hostUI[0]
	gh.variant.choose(1)
	field(gh, "url").SetText("https://github.example.com")
	gh.caFile.SetText("/etc/ssl/company-ca.pem")
	gh.secrets[0].SetText(canary)

	u.SelectHost("azure-devops")
	az := u.hostUI[2]
	field(az, "org").SetText("myorg")
	field(az, "expires").SetText("2027-03-31")
	az.secrets[0].SetText("canaryremembercanaryremembercanaryremembercanaryreme")

	u.SelectHost("codecommit")
	aws := u.hostUI[5]
	aws.inputs["region"].set("eu-west-1")
	field(aws, "user").SetText("jira-codecommit")
	aws.secrets[0].SetText("AKIACANARYREMEMBER22")
	aws.secrets[1].SetText("CANARY/remember/secret/CANARY/remember/x")

	// Everything in the preferences, as it would be written to the file.
	var all map[string]any
	a.Preferences().(interface{ ReadValues(func(map[string]any)) }).ReadValues(func(m map[string]any) {
		b, _ := json.Marshal(m)
		_ = json.Unmarshal(b, &all)
	})
	dump, _ := json.Marshal(all)
	for _, secret := range []string{"CANARY", "canary", "2027-03-31"} {
		if strings.Contains(string(dump), secret) {
			t.Errorf("the preferences hold %q: %s", secret, dump)
		}
	}

	u2 := newSavedFixture(t, a).UI
	gh2 := u2.hostUI[0]
	if gh2.variant.Selected() != "GitHub Enterprise Server" || field(gh2, "url").Text != "https://github.example.com" ||
		gh2.caFile.Text != "/etc/ssl/company-ca.pem" || gh2.secrets[0].Text != "" {
		t.Errorf("GitHub: %q %q %q, token %d chars", gh2.variant.Selected(), field(gh2, "url").Text, gh2.caFile.Text, len(gh2.secrets[0].Text))
	}
	u2.SelectHost("azure-devops")
	if az2 := u2.hostUI[2]; field(az2, "org").Text != "myorg" || field(az2, "expires").Text != "" || az2.secrets[0].Text != "" {
		t.Errorf("Azure DevOps: %q %q", field(az2, "org").Text, field(az2, "expires").Text)
	}
	u2.SelectHost("codecommit")
	if aws2 := u2.hostUI[5]; aws2.inputs["region"].text() != "eu-west-1" || field(aws2, "user").Text != "jira-codecommit" ||
		aws2.secrets[0].Text != "" || aws2.secrets[1].Text != "" {
		t.Errorf("CodeCommit: %q %q", aws2.inputs["region"].text(), field(aws2, "user").Text)
	}
}
