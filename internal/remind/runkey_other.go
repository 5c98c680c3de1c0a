//go:build !windows

package remind

// SystemRunKey is nil: only Windows has a Run key.
func SystemRunKey() RunKey { return nil }
