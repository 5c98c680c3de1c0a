package hosts

import "strings"

// Problem says what is wrong with a value typed into the field, in a
// sentence to show under it; "" when it can be used. An empty optional
// field is fine; an empty required one asks to be filled in.
func (f Field) Problem(value string) string {
	v := strings.TrimSpace(value)
	switch {
	case v == "" && (f.Optional || len(f.Choices) > 0):
		return ""
	case f.Validate != nil:
		if err := f.Validate(v); err != nil {
			return err.Error()
		}
		return ""
	case v == "":
		return "Enter the " + lower(f.Label) + "."
	}
	return ""
}

// CredentialNoun is what the user pastes in this host's tab: "token" or
// "access key".
func (h *Host) CredentialNoun() string {
	if h.Credential == "" {
		return "token"
	}
	return h.Credential
}

// ACredential names one credential of the host with its article: "a
// GitHub token", "an Azure DevOps token", "an AWS CodeCommit access key".
func (h *Host) ACredential() string {
	return article(h.Name) + " " + h.Name + " " + h.CredentialNoun()
}

// article is "an" before a name that starts with a vowel letter, "a"
// otherwise. Host names are spelled out as read ("Azure", "AWS": both
// start with a vowel sound), so the letter decides.
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}

// WrongTab says, for a value pasted into one of this host's secret fields,
// that its format belongs to another host and where it goes instead; ""
// when it does not look like another host's credential.
func (h *Host) WrongTab(value string) string {
	shape := Classify(strings.TrimSpace(value))
	if shape.Family == "" || shape.Family == h.Family {
		return ""
	}
	return "This looks like " + shape.Kind + ", not " + h.ACredential() + ": paste it in the " + FamilyTab(shape.Family) + " tab. gitpat does not send it to " + h.Name + "."
}
