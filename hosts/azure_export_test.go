package hosts

import "fmt"

// This file is compiled only into this package's tests. It lets the tests
// in package hosts_test reach what the program never changes.

// AzureDevOpsAt returns a copy of the Azure DevOps Services host whose
// check talks to dev instead of https://dev.azure.com and to vssps
// instead of https://app.vssps.visualstudio.com: a fake serves both.
// AzureDevOps itself is untouched, so tests may run in parallel.
func AzureDevOpsAt(dev, vssps string) *Host {
	h := *AzureDevOps
	h.check = azureServicesCheck(azureEndpoints{dev: dev, vssps: vssps})
	return &h
}

// The Azure DevOps parsers, for the fuzz targets.
var (
	ParseAzureExpiry = parseAzureExpiry
	ParseAzureRepos  = parseAzureRepositories
)

// AzureAPICeiling returns the newest api-version an out-of-range answer
// names, as "4.1", or "" when it names none.
func AzureAPICeiling(body []byte) string {
	v := azureAPICeiling(body)
	if !v.known() {
		return ""
	}
	return fmt.Sprintf("%d.%d", v.major, v.minor)
}

// AzureCaller reads a connectionData answer: the user it names, and
// whether Azure DevOps treated the caller as anonymous.
func AzureCaller(body []byte) (user string, anonymous bool, err error) {
	id, err := parseAzureConnection(body)
	if err != nil {
		return "", false, err
	}
	return id.user(), id.anonymous(), nil
}
