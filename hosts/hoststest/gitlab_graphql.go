package hoststest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"
)

// The fake GitLab's GraphQL endpoint, POST /api/graphql: it reads the
// small part of the GraphQL language a check uses (one query with
// variables, aliases, arguments and nested selections), validates it
// against the part of GitLab's schema it models and answers as GitLab
// does, in graphql-ruby's shapes:
//   - an unknown field fails the whole query with "Field 'x' doesn't
//     exist on type 'Project'" and no "data" (graphql-ruby's
//     FieldsAreDefinedOnType rule);
//   - a query costing more than 250 fails with "Query has complexity of
//     N, which exceeds max complexity of 250" (app/graphql/gitlab_schema.rb:
//     AUTHENTICATED_MAX_COMPLEXITY = 250 for a signed-in user);
//   - project(fullPath:) and group(fullPath:) answer null for what does
//     not exist and for what the user may not read, alike: their types
//     authorize :read_project / :read_group, and graphql-ruby returns nil
//     for an unauthorized object.

// gqlField is one field of a selection set.
type gqlField struct {
	alias, name string
	args        map[string]string // argument → variable name ("$f0") or literal
	sel         []gqlField
	line, col   int
}

func (f gqlField) key() string {
	if f.alias != "" {
		return f.alias
	}
	return f.name
}

// gqlDocument is a parsed request: its operation kind and selection.
type gqlDocument struct {
	operation string // "query" or "mutation"
	sel       []gqlField
}

type gqlToken struct {
	text      string
	line, col int
}

func gqlLex(src string) ([]gqlToken, error) {
	var out []gqlToken
	line, col := 1, 1
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			line, col = line+1, 1
			i++
		case unicode.IsSpace(r) || r == ',' || r == '\ufeff':
			i, col = i+1, col+1
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
		case strings.ContainsRune("{}():!$=[]", r):
			out = append(out, gqlToken{string(r), line, col})
			i, col = i+1, col+1
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("Parse error on \"\\\"\" (error) at [%d, %d]", line, col)
			}
			out = append(out, gqlToken{string(rs[i : j+1]), line, col})
			col += j + 1 - i
			i = j + 1
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && (rs[j] == '_' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			out = append(out, gqlToken{string(rs[i:j]), line, col})
			col += j - i
			i = j
		default:
			return nil, fmt.Errorf("Parse error on %q (error) at [%d, %d]", string(r), line, col)
		}
	}
	return out, nil
}

type gqlParser struct {
	toks []gqlToken
	pos  int
}

func (p *gqlParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].text
	}
	return ""
}

func (p *gqlParser) next() gqlToken {
	if p.pos < len(p.toks) {
		p.pos++
		return p.toks[p.pos-1]
	}
	return gqlToken{}
}

func (p *gqlParser) expect(s string) error {
	if t := p.next(); t.text != s {
		return fmt.Errorf("Parse error on %q at [%d, %d]", t.text, t.line, t.col)
	}
	return nil
}

func parseGraphQL(src string) (gqlDocument, error) {
	toks, err := gqlLex(src)
	if err != nil {
		return gqlDocument{}, err
	}
	p := &gqlParser{toks: toks}
	doc := gqlDocument{operation: "query"}
	if w := p.peek(); w == "query" || w == "mutation" || w == "subscription" {
		doc.operation = p.next().text
		if p.peek() != "(" && p.peek() != "{" {
			p.next() // the operation's name
		}
		if p.peek() == "(" { // variable definitions: ($f0: ID!, ...)
			p.next()
			for p.peek() != ")" && p.peek() != "" {
				p.next()
			}
			if err := p.expect(")"); err != nil {
				return doc, err
			}
		}
	}
	doc.sel, err = p.selection()
	if err == nil && p.pos != len(p.toks) {
		t := p.next()
		err = fmt.Errorf("Parse error on %q at [%d, %d]", t.text, t.line, t.col)
	}
	return doc, err
}

func (p *gqlParser) selection() ([]gqlField, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var out []gqlField
	for p.peek() != "}" {
		t := p.next()
		if t.text == "" || !isGQLName(t.text) {
			return nil, fmt.Errorf("Parse error on %q at [%d, %d]", t.text, t.line, t.col)
		}
		f := gqlField{name: t.text, line: t.line, col: t.col}
		if p.peek() == ":" {
			p.next()
			n := p.next()
			if !isGQLName(n.text) {
				return nil, fmt.Errorf("Parse error on %q at [%d, %d]", n.text, n.line, n.col)
			}
			f.alias, f.name = f.name, n.text
		}
		if p.peek() == "(" {
			p.next()
			f.args = map[string]string{}
			for p.peek() != ")" {
				name := p.next()
				if err := p.expect(":"); err != nil {
					return nil, err
				}
				v := p.next()
				if v.text == "$" {
					v.text = "$" + p.next().text
				}
				f.args[name.text] = v.text
			}
			p.next()
		}
		if p.peek() == "{" {
			sel, err := p.selection()
			if err != nil {
				return nil, err
			}
			f.sel = sel
		}
		out = append(out, f)
	}
	p.next()
	return out, nil
}

func isGQLName(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) }) < 0
}

// gqlComplexity follows GitLab's rule: every field costs 1
// (Types::BaseField::DEFAULT_COMPLEXITY), a field with a resolver costs
// its children plus 1 (Resolvers::BaseResolver.resolver_complexity), and
// graphql-ruby adds a field's children to its own cost.
func gqlComplexity(sel []gqlField) int {
	n := 0
	for _, f := range sel {
		n += 1 + gqlComplexity(f.sel)
	}
	return n
}

// gqlSchema is the part of GitLab's schema the fake models: the fields
// of each type, and the type each object field has. Every one of them
// exists from GitLab 15.0 on (app/graphql/types/query_type.rb,
// project_type.rb, group_type.rb, user_type.rb and
// permission_types/project.rb, whose ability list names push_code,
// download_code, admin_project, create_merge_request_in and
// create_merge_request_from since GitLab 12).
var gqlSchema = map[string]map[string]string{
	"Query":    {"currentUser": "UserCore", "project": "Project", "group": "Group"},
	"UserCore": {"id": "", "username": "", "name": ""},
	"Project": {"id": "", "fullPath": "", "name": "", "archived": "", "webUrl": "", "visibility": "",
		"userPermissions": "ProjectPermissions"},
	"ProjectPermissions": {"readProject": "", "downloadCode": "", "pushCode": "", "adminProject": "",
		"createMergeRequestIn": "", "createMergeRequestFrom": "", "readMergeRequest": ""},
	"Group": {"id": "", "fullPath": "", "name": "", "webUrl": "", "visibility": ""},
}

// gqlValidate reports the first field the schema does not have, as
// graphql-ruby words it.
func gqlValidate(typ string, sel []gqlField, path []string) map[string]any {
	for _, f := range sel {
		child, ok := gqlSchema[typ][f.name]
		if !ok {
			return map[string]any{
				"message":    fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.name, typ),
				"locations":  []map[string]int{{"line": f.line, "column": f.col}},
				"path":       append(slices.Clone(path), f.key()),
				"extensions": map[string]string{"code": "undefinedField", "typeName": typ, "fieldName": f.name},
			}
		}
		if child != "" {
			if e := gqlValidate(child, f.sel, append(slices.Clone(path), f.key())); e != nil {
				return e
			}
		}
	}
	return nil
}

// graphql answers POST /api/graphql.
func (g *GitLab) graphql(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Query     string            `json:"query"`
		Variables map[string]string `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		g.t.Errorf("fake GitLab: a GraphQL request that is not JSON: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	doc, err := parseGraphQL(body.Query)
	if err != nil {
		g.t.Errorf("fake GitLab: a GraphQL query it cannot parse: %v\n%s", err, body.Query)
		g.writeJSON(w, map[string]any{"errors": []map[string]any{{"message": err.Error()}}})
		return
	}
	if doc.operation != "query" {
		// A check only reads: a mutation would change the server.
		g.t.Errorf("fake GitLab: a check sent a GraphQL %s:\n%s", doc.operation, body.Query)
		g.writeJSON(w, map[string]any{"errors": []map[string]any{{"message": "mutations are not for checks"}}})
		return
	}
	tok, user := g.graphqlUser(w, r)
	if user == nil {
		return
	}
	if e := gqlValidate("Query", doc.sel, []string{"query"}); e != nil {
		g.writeJSON(w, map[string]any{"errors": []any{e}})
		return
	}
	if c := gqlComplexity(doc.sel); c > 250 {
		g.writeJSON(w, map[string]any{"errors": []map[string]any{{
			"message": fmt.Sprintf("Query has complexity of %d, which exceeds max complexity of 250", c)}}})
		return
	}
	data := map[string]any{}
	for _, f := range doc.sel {
		arg := func(name string) string {
			v := f.args[name]
			if strings.HasPrefix(v, "$") {
				return body.Variables[v[1:]]
			}
			return strings.Trim(v, `"`)
		}
		switch f.name {
		case "currentUser":
			if *user == "" {
				data[f.key()] = nil
				continue
			}
			data[f.key()] = gqlSelect(f.sel, map[string]any{"id": "gid://gitlab/User/3", "username": *user, "name": "John Smith"})
		case "project":
			path := arg("fullPath")
			p, ok := g.project(path)
			if !ok || !p.visible(tok, *user != "") {
				data[f.key()] = nil
				continue
			}
			data[f.key()] = gqlSelect(f.sel, p.graphQL(g, path, tok, *user != ""))
		case "group":
			path := arg("fullPath")
			gr, ok := g.group(path)
			if !ok || !gr.visible(tok, *user != "") {
				data[f.key()] = nil
				continue
			}
			data[f.key()] = gqlSelect(f.sel, map[string]any{"id": "gid://gitlab/Group/9", "fullPath": path,
				"name": path[strings.LastIndex(path, "/")+1:], "webUrl": g.Web() + "/groups/" + path, "visibility": orString(gr.Visibility, "private")})
		}
	}
	g.writeJSON(w, map[string]any{"data": data})
}

// graphqlUser authenticates a GraphQL request. GraphQL accepts a token
// with api or read_api (lib/gitlab/auth/request_authenticator.rb,
// graphql_authorization_scopes). What it does with any other token
// changed: newer versions answer 401 {"errors":[{"message":"Invalid
// token"}]} (graphql_controller.rb, authorize_access_api!: a token that
// is present but finds no user), older ones went on as if no one had
// signed in, and currentUser was null. The fake draws that line at 16.0,
// its own choice: the release of the change is not known. It returns the
// token and the user's name ("" for no one), or nil when it has answered.
func (g *GitLab) graphqlUser(w http.ResponseWriter, r *http.Request) (GitLabToken, *string) {
	g.mu.Lock()
	tok, known := g.tokens[r.Header.Get("Private-Token")]
	g.mu.Unlock()
	switch {
	case tok.RateLimited:
		g.rateLimited(w)
		return tok, nil
	case tok.GraphQLBroken:
		g.json(w, http.StatusInternalServerError, "gitlab/server-error.json")
		return tok, nil
	}
	anonymous := ""
	if known && !tok.Expired && !tok.Revoked && !tok.Blocked &&
		slices.ContainsFunc(tok.Scopes, func(s string) bool { return s == "api" || s == "read_api" }) {
		name := "john_smith"
		return tok, &name
	}
	if major, _ := gitlabVersion(g.opts.Version); major >= 16 {
		g.json(w, http.StatusUnauthorized, "gitlab/graphql-invalid-token.json")
		return tok, nil
	}
	return GitLabToken{}, &anonymous
}

// gqlSelect keeps of obj what sel asks for, under its aliases.
func gqlSelect(sel []gqlField, obj map[string]any) map[string]any {
	out := map[string]any{}
	for _, f := range sel {
		v := obj[f.name]
		if sub, ok := v.(map[string]any); ok {
			v = gqlSelect(f.sel, sub)
		}
		out[f.key()] = v
	}
	return out
}

func (g *GitLab) writeJSON(w http.ResponseWriter, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}
