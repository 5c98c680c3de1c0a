package hosts

import (
	"encoding/json"
	"errors"
	"strings"
)

// bitbucketError is Bitbucket Cloud's error body, {"type": "error",
// "error": {"message": …, "detail": …}} (the "error" schema of the
// Bitbucket Cloud OpenAPI description). A 403 for a missing scope carries
// the scopes in detail: {"message": "Your credentials lack one or more
// required privilege scopes.", "detail": {"required": ["read:user:bitbucket"],
// "granted": ["write:repository:bitbucket", …]}} (recorded in
// pingdotgg/t3code#6290 for an API token, 2026-08-12); other errors put a
// string in detail.
type bitbucketError struct {
	Message    string
	Detail     string
	Required   []string
	Granted    []string
	HasGranted bool // the body listed the granted scopes, possibly none
}

// parseBitbucketError reads an error body; what it cannot read stays empty.
func parseBitbucketError(body []byte) bitbucketError {
	var raw struct {
		Error struct {
			Message string          `json:"message"`
			Detail  json.RawMessage `json:"detail"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return bitbucketError{}
	}
	e := bitbucketError{Message: strings.TrimSpace(raw.Error.Message)}
	var scopes struct {
		Required []string  `json:"required"`
		Granted  *[]string `json:"granted"`
	}
	if json.Unmarshal(raw.Error.Detail, &scopes) == nil {
		e.Required = scopes.Required
		if scopes.Granted != nil {
			e.HasGranted, e.Granted = true, *scopes.Granted
		}
	} else {
		_ = json.Unmarshal(raw.Error.Detail, &e.Detail)
	}
	return e
}

// bitbucketUser is the part of GET /user a check reports (the "user"
// schema: display_name, nickname, account_id, uuid).
type bitbucketUser struct {
	DisplayName string `json:"display_name"`
	Nickname    string `json:"nickname"`
	AccountID   string `json:"account_id"`
	UUID        string `json:"uuid"`
}

func parseBitbucketUser(body []byte) (bitbucketUser, error) {
	var u bitbucketUser
	if err := json.Unmarshal(body, &u); err != nil {
		return u, err
	}
	if u.AccountID == "" && u.UUID == "" {
		return u, errors.New("not a user")
	}
	return u, nil
}

// parseBitbucketWorkspaces reads GET /user/workspaces, a page of
// workspace_access objects ({"values": [{"workspace": {"slug": …}}],
// "size": N}): the slugs on the page and the total when given.
func parseBitbucketWorkspaces(body []byte) (slugs []string, size int, err error) {
	var page struct {
		Size   int `json:"size"`
		Values *[]struct {
			Workspace struct {
				Slug string `json:"slug"`
			} `json:"workspace"`
		} `json:"values"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, 0, err
	}
	if page.Values == nil {
		return nil, 0, errors.New("not a page of workspaces")
	}
	for _, v := range *page.Values {
		if v.Workspace.Slug != "" {
			slugs = append(slugs, v.Workspace.Slug)
		}
	}
	return slugs, page.Size, nil
}

// parseBitbucketRepositories reads a page of repositories
// (paginated_repositories): their full names and the total when given.
func parseBitbucketRepositories(body []byte) (names []string, size int, err error) {
	var page struct {
		Size   int `json:"size"`
		Values *[]struct {
			FullName string `json:"full_name"`
		} `json:"values"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, 0, err
	}
	if page.Values == nil {
		return nil, 0, errors.New("not a page of repositories")
	}
	for _, v := range *page.Values {
		if v.FullName != "" {
			names = append(names, v.FullName)
		}
	}
	return names, page.Size, nil
}
