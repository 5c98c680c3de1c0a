package hosts

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on first use. Compiling the
// credential patterns, whose long counted repetitions (`{20,1000}`) make
// large programs, cost ~5 ms of package start-up, which the window waits
// for, while a run uses few of them or none.
type lazyRegexp struct {
	pattern string
	once    sync.Once
	re      *regexp.Regexp
}

// lazyPatterns are all of them, for TestLazyPatternsCompile.
var lazyPatterns []*lazyRegexp

// lazyRE is regexp.MustCompile, done on first use.
func lazyRE(pattern string) *lazyRegexp {
	l := &lazyRegexp{pattern: pattern}
	lazyPatterns = append(lazyPatterns, l)
	return l
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.pattern) })
	return l.re
}

// MatchString is regexp.Regexp.MatchString.
func (l *lazyRegexp) MatchString(s string) bool { return l.get().MatchString(s) }

// FindSubmatch is regexp.Regexp.FindSubmatch.
func (l *lazyRegexp) FindSubmatch(b []byte) [][]byte { return l.get().FindSubmatch(b) }
