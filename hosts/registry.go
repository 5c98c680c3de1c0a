package hosts

// All returns the hosts in the order users know them, one tab each.
func All() []*Host {
	return []*Host{GitHub, GitLab, AzureDevOps, TFS, AzureDevOpsServer, CodeCommit, BitbucketCloud, BitbucketDataCenter, Gerrit}
}

// ByID returns the host with the given CLI word, or nil.
func ByID(id string) *Host {
	for _, h := range All() {
		if h.ID == id {
			return h
		}
	}
	return nil
}
