package hosts

import (
	"regexp"
	"testing"
)

// TestLazyPatternsCompile: a pattern compiled on first use still fails
// here, not in a user's hands.
func TestLazyPatternsCompile(t *testing.T) {
	if len(lazyPatterns) < 16 {
		t.Fatalf("%d patterns registered", len(lazyPatterns))
	}
	for _, l := range lazyPatterns {
		if _, err := regexp.Compile(l.pattern); err != nil {
			t.Errorf("%q: %v", l.pattern, err)
		}
		if l.get() != l.get() {
			t.Errorf("%q compiled twice", l.pattern)
		}
	}
}
