package hosts

import "net/url"

// codecommitNeeds is what the Jira integration needs of an IAM user.
var codecommitNeeds = []string{"codecommit:CreateBranch", "codecommit:CreatePullRequest"}

// CodeCommitRegions are the AWS regions where CodeCommit runs.
var CodeCommitRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
	"ap-south-1", "ap-east-1", "me-south-1", "af-south-1", "il-central-1",
}

// CodeCommit is AWS CodeCommit, which takes an IAM access key instead of a PAT.
var CodeCommit = &Host{
	ID:      "codecommit",
	Name:    "AWS CodeCommit",
	Family:  "aws",
	Summary: "The Jira integration needs an IAM user's access key ID and secret access key, with permission to create branches and pull requests.",
	Needs:   codecommitNeeds,
	Variants: []Variant{{ID: "aws", Label: "AWS CodeCommit", Fields: []Field{
		{Key: "region", Label: "Region", Choices: CodeCommitRegions, Default: "us-east-1"},
		{Key: "user", Label: "IAM user name", Placeholder: "jira-codecommit", Optional: true,
			Help: "Optional: opens that user's security credentials page."},
	}}},
	Secrets: []SecretField{{Label: "Access key ID", Placeholder: "AKIA…"}, {Label: "Secret access key", Placeholder: "40 characters"}},
	Steps: []Step{
		{"Sign in to the AWS console, open IAM and choose Users.", "aws-1-iam.svg"},
		{"Choose the IAM user the integration will use: not your own administrator user.", "aws-2-user.svg"},
		{"Open the Security credentials tab and, under Access keys, click Create access key. \"Open token page\" takes you there when you enter the user name.", "aws-3-credentials.svg"},
		{"Choose Third-party service as the use case, confirm, click Next and then Create access key.", "aws-4-usecase.svg"},
		{"Copy the access key ID and the secret access key now: the secret is shown only once.", "aws-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "The IAM user needs codecommit:CreateBranch and codecommit:CreatePullRequest.", Link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/list_awscodecommit.html"},
		{Level: Warn, Text: "AWS allows only two access keys per IAM user: delete an unused one first if the user has two."},
		{Level: Warn, Text: "Administrators: do not reuse your own user's key; create a user for the integration."},
	},
	TokenPage: func(req Request) (string, error) {
		if user := req.Field("user"); user != "" {
			return "https://console.aws.amazon.com/iam/home#/users/details/" + url.PathEscape(user) + "?section=security_credentials", nil
		}
		return "https://console.aws.amazon.com/iam/home#/users", nil
	},
}
