// Command startbench measures how fast a Fyne app's window comes up, against
// a floor app, on the X server in $DISPLAY (scripts/bench-startup.sh runs it
// under Xvfb). Runs alternate floor, app, floor, app…; for each run it
// records, from exec:
//
//   - mapped: the app's window is mapped (MapNotify on the root window);
//   - painted: the window first shows content, more than a few colours
//     (read back with GetImage each time the window is damaged);
//   - next and settled: the first and the last visible change to the
//     window within 1.5 s of painted, so what comes after the first frame
//     (drawings decoded then) shows: each damage is read back, and counts
//     when its pixels differ from the frame before (Fyne also repaints
//     without a change);
//   - RSS 2 s after exec, and RSS after visiting every tab (Alt+2 … Alt+0,
//     then Alt+1, typed through XTest, 0.5 s apart) and 2 s more.
//
// It prints each run, then the medians and the median of the pairs'
// ratios (app over the floor run just before it). It is a measuring tool;
// nothing in it is timed in a test.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"

	"github.com/gitpat/gitpat/internal/xframe"
)

// run is one start of one app.
type run struct {
	mapped, painted, next, settled time.Duration
	rss2s, rssTabs                 int // KiB
}

func main() {
	pairs := flag.Int("pairs", 9, "alternating pairs of runs")
	floor := flag.String("floor", "bin/floorapp", "the floor app")
	app := flag.String("app", "bin/gitpat", "the app measured")
	tabs := flag.Int("tabs", 10, "tabs to visit with Alt+digit before the last RSS (0: none)")
	label := flag.String("label", "", "a title for the summary (e.g. the scale)")
	shots := flag.String("shots", "", "a folder for the first painted frame and the window at 2 s of the first (uncounted) run of each")
	flag.Parse()

	x, err := newDisplay()
	if err != nil {
		fail(err)
	}
	load0 := loadavg()
	var fl, ap []run
	// One run of each first, not counted: the disk caches (the binaries,
	// Mesa's shader cache) are warm for every counted run alike.
	for i := -1; i < *pairs; i++ {
		shot := ""
		if i < 0 {
			shot = *shots
		}
		f, err := x.measure(*floor, *tabs, shot)
		if err != nil {
			fail(err)
		}
		a, err := x.measure(*app, *tabs, shot)
		if err != nil {
			fail(err)
		}
		if i < 0 {
			continue
		}
		fmt.Printf("pair %d: floor %s | app %s\n", i+1, f, a)
		fl, ap = append(fl, f), append(ap, a)
	}
	fmt.Printf("\nstart-up %s: %d alternating pairs, load average %s before, %s after\n", *label, *pairs, load0, loadavg())
	fmt.Printf("%-36s %9s %9s %9s %s\n", "", "floor", "app", "ratio", "(median of the pairs' ratios; range)")
	row := func(name string, get func(run) float64) {
		var fv, av, rv []float64
		for i := range fl {
			fv, av = append(fv, get(fl[i])), append(av, get(ap[i]))
			rv = append(rv, get(ap[i])/get(fl[i]))
		}
		fmt.Printf("%-36s %9.0f %9.0f %9.2f (%.2f–%.2f)\n", name, median(fv), median(av), median(rv), slices.Min(rv), slices.Max(rv))
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	row("window mapped (ms)", func(r run) float64 { return ms(r.mapped) })
	row("first content painted (ms)", func(r run) float64 { return ms(r.painted) })
	row("RSS 2 s after exec (MiB)", func(r run) float64 { return float64(r.rss2s) / 1024 })
	if *tabs > 0 {
		row("RSS after every tab (MiB)", func(r run) float64 { return float64(r.rssTabs) / 1024 })
	}
	after := func(name string, get func(r run) time.Duration) {
		var fv, av []float64
		for i := range ap {
			fv = append(fv, ms(get(fl[i])-fl[i].painted))
			av = append(av, ms(get(ap[i])-ap[i].painted))
		}
		fmt.Printf("%-36s %9.0f %9.0f %9s (app: %.0f–%.0f)\n", name, median(fv), median(av), "", slices.Min(av), slices.Max(av))
	}
	after("next visible change after paint (ms)", func(r run) time.Duration { return r.next })
	after("last visible change after paint (ms)", func(r run) time.Duration { return r.settled })
}

func (r run) String() string {
	return fmt.Sprintf("mapped %4d ms, painted %4d ms, next %4d ms, settled %4d ms, RSS %3d / %3d MiB",
		r.mapped.Milliseconds(), r.painted.Milliseconds(), r.next.Milliseconds(), r.settled.Milliseconds(), r.rss2s/1024, r.rssTabs/1024)
}

// display is the X server, with the keys startbench types.
type display struct {
	*xframe.Display
	alt    byte
	digits [10]byte // keycodes of 0…9
}

func newDisplay() (*display, error) {
	x, err := xframe.Open()
	if err != nil {
		return nil, err
	}
	if err := xtest.Init(x.Conn); err != nil {
		return nil, fmt.Errorf("XTEST: %w", err)
	}
	d := &display{Display: x}
	if err := d.keycodes(xproto.Setup(x.Conn)); err != nil {
		return nil, err
	}
	return d, nil
}

// keycodes finds Alt_L and the digits in the keyboard map.
func (d *display) keycodes(setup *xproto.SetupInfo) error {
	n := byte(setup.MaxKeycode - setup.MinKeycode + 1)
	m, err := xproto.GetKeyboardMapping(d.Conn, setup.MinKeycode, n).Reply()
	if err != nil {
		return err
	}
	per := int(m.KeysymsPerKeycode)
	for i := 0; i < int(n); i++ {
		sym := m.Keysyms[i*per]
		code := byte(setup.MinKeycode) + byte(i)
		switch {
		case sym == 0xffe9: // Alt_L
			d.alt = code
		case sym >= '0' && sym <= '9':
			d.digits[sym-'0'] = code
		}
	}
	if d.alt == 0 || d.digits[1] == 0 {
		return errors.New("no Alt_L or digit keys in the keyboard map")
	}
	return nil
}

// measure starts bin, measures one run and ends it.
func (d *display) measure(bin string, tabs int, shots string) (run, error) {
	var r run
	d.Drain()
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = nil, nil
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	pid := cmd.Process.Pid
	exited := func() error {
		select {
		case <-done:
			return fmt.Errorf("%s exited before painting", bin)
		default:
			return nil
		}
	}
	win, mapped, painted, first, err := d.FirstFrame(pid, exited, 60*time.Second)
	if err != nil {
		return r, fmt.Errorf("%s: %w", bin, err)
	}
	defer win.Close()
	r.mapped, r.painted = mapped.Sub(t0), painted.Sub(t0)
	// What changes after the first frame, for 1.5 s.
	lastChange, shown := painted, first
	quiet := time.After(1500 * time.Millisecond)
	for watching := true; watching; {
		select {
		case ev := <-d.Events:
			if win.Damaged(ev) {
				at := time.Now()
				if now := win.Grab(); now != nil && !now.Equal(shown) {
					lastChange, shown = at, now
					if r.next == 0 {
						r.next = at.Sub(t0)
					}
				}
			}
		case <-quiet:
			watching = false
		}
	}
	r.settled = lastChange.Sub(t0)
	if r.next == 0 {
		r.next = r.settled // nothing changed after the first frame
	}
	time.Sleep(time.Until(t0.Add(2 * time.Second)))
	r.rss2s = rss(pid)
	if shots != "" {
		name := filepath.Join(shots, filepath.Base(bin))
		if err := savePNG(name+"-first.png", first); err != nil {
			return r, err
		}
		if err := savePNG(name+"-2s.png", win.Grab()); err != nil {
			return r, err
		}
	}
	if tabs > 0 {
		xproto.SetInputFocus(d.Conn, xproto.InputFocusParent, win.ID, xproto.TimeCurrentTime)
		for i := 2; i <= tabs+1; i++ {
			d.altDigit((i % tabs) % 10)
			time.Sleep(500 * time.Millisecond)
		}
		time.Sleep(2 * time.Second)
		r.rssTabs = rss(pid)
	}
	return r, nil
}

// altDigit types Alt+n.
func (d *display) altDigit(n int) {
	key := func(typ byte, code byte) {
		xtest.FakeInput(d.Conn, typ, code, 0, d.Root, 0, 0, 0)
	}
	key(xproto.KeyPress, d.alt)
	key(xproto.KeyPress, d.digits[n])
	key(xproto.KeyRelease, d.digits[n])
	key(xproto.KeyRelease, d.alt)
	d.Conn.Sync()
}

// savePNG writes a window read back as a PNG.
func savePNG(path string, frame *xframe.Frame) error {
	if frame == nil {
		return errors.New("the window could not be read back")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, frame.Image())
}

// rss is a process's resident set in KiB.
func rss(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "startbench:", err)
	os.Exit(1)
}
