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
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
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

// display is the connection to the X server, listening for windows
// created and mapped on the root window.
type display struct {
	conn   *xgb.Conn
	root   xproto.Window
	events chan xgb.Event
	pidAtm xproto.Atom
	alt    byte
	digits [10]byte // keycodes of 0…9
}

func newDisplay() (*display, error) {
	c, err := xgb.NewConn()
	if err != nil {
		return nil, err
	}
	if err := damage.Init(c); err != nil {
		return nil, fmt.Errorf("DAMAGE: %w", err)
	}
	if err := xfixes.Init(c); err != nil {
		return nil, fmt.Errorf("XFIXES: %w", err)
	}
	if err := xtest.Init(c); err != nil {
		return nil, fmt.Errorf("XTEST: %w", err)
	}
	if _, err := damage.QueryVersion(c, 1, 1).Reply(); err != nil {
		return nil, err
	}
	if _, err := xfixes.QueryVersion(c, 5, 0).Reply(); err != nil {
		return nil, err
	}
	setup := xproto.Setup(c)
	d := &display{conn: c, root: setup.DefaultScreen(c).Root, events: make(chan xgb.Event, 256)}
	if err := xproto.ChangeWindowAttributesChecked(c, d.root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		return nil, err
	}
	a, err := xproto.InternAtom(c, false, uint16(len("_NET_WM_PID")), "_NET_WM_PID").Reply()
	if err != nil {
		return nil, err
	}
	d.pidAtm = a.Atom
	if err := d.keycodes(setup); err != nil {
		return nil, err
	}
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				close(d.events)
				return
			}
			if ev != nil {
				d.events <- ev
			}
		}
	}()
	return d, nil
}

// keycodes finds Alt_L and the digits in the keyboard map.
func (d *display) keycodes(setup *xproto.SetupInfo) error {
	n := byte(setup.MaxKeycode - setup.MinKeycode + 1)
	m, err := xproto.GetKeyboardMapping(d.conn, setup.MinKeycode, n).Reply()
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
	d.drain()
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = nil, nil
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	pid := cmd.Process.Pid
	win, dmg := xproto.Window(0), damage.Damage(0)
	deadline := time.After(60 * time.Second)
	poll := time.NewTicker(50 * time.Millisecond) // in case a damage event is missed
	defer poll.Stop()
	var lastChange time.Time
	var first *image.RGBA
	check := func() bool {
		if win == 0 {
			return false
		}
		damage.Subtract(d.conn, dmg, 0, 0)
		first = d.grab(win)
		return painted(first)
	}
	for r.painted == 0 {
		select {
		case ev := <-d.events:
			switch e := ev.(type) {
			case xproto.MapNotifyEvent:
				if win == 0 && e.Event == d.root && d.pidOf(e.Window) == pid {
					r.mapped = time.Since(t0)
					win = e.Window
					var err error
					if dmg, err = damage.NewDamageId(d.conn); err != nil {
						return r, err
					}
					damage.Create(d.conn, dmg, xproto.Drawable(win), damage.ReportLevelNonEmpty)
					if check() {
						r.painted = time.Since(t0)
					}
				}
			case damage.NotifyEvent:
				if e.Damage == dmg && check() {
					r.painted = time.Since(t0)
				}
			}
		case <-poll.C:
			if check() {
				r.painted = time.Since(t0)
			}
			if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
				return r, fmt.Errorf("%s exited before painting", bin)
			}
		case <-deadline:
			return r, fmt.Errorf("%s: no window painted within 60 s", bin)
		}
	}
	lastChange = t0.Add(r.painted)
	// What changes after the first frame, for 1.5 s.
	quiet := time.After(1500 * time.Millisecond)
	shown := first
	for watching := true; watching; {
		select {
		case ev := <-d.events:
			if e, ok := ev.(damage.NotifyEvent); ok && e.Damage == dmg {
				at := time.Now()
				damage.Subtract(d.conn, dmg, 0, 0)
				if now := d.grab(win); now != nil && (shown == nil || now.Rect != shown.Rect || !bytes.Equal(now.Pix, shown.Pix)) {
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
		if err := savePNG(name+"-2s.png", d.grab(win)); err != nil {
			return r, err
		}
	}
	if tabs > 0 {
		xproto.SetInputFocus(d.conn, xproto.InputFocusParent, win, xproto.TimeCurrentTime)
		for i := 2; i <= tabs+1; i++ {
			d.altDigit((i % tabs) % 10)
			time.Sleep(500 * time.Millisecond)
		}
		time.Sleep(2 * time.Second)
		r.rssTabs = rss(pid)
	}
	damage.Destroy(d.conn, dmg)
	return r, nil
}

// altDigit types Alt+n.
func (d *display) altDigit(n int) {
	key := func(typ byte, code byte) {
		xtest.FakeInput(d.conn, typ, code, 0, d.root, 0, 0, 0)
	}
	key(xproto.KeyPress, d.alt)
	key(xproto.KeyPress, d.digits[n])
	key(xproto.KeyRelease, d.digits[n])
	key(xproto.KeyRelease, d.alt)
	d.conn.Sync()
}

// pidOf reads a window's _NET_WM_PID.
func (d *display) pidOf(w xproto.Window) int {
	p, err := xproto.GetProperty(d.conn, false, w, d.pidAtm, xproto.AtomCardinal, 0, 1).Reply()
	if err != nil || p.ValueLen != 1 {
		return 0
	}
	return int(xgb.Get32(p.Value))
}

// grab reads back the part of the window on the screen (BGRX), in window
// coordinates.
func (d *display) grab(w xproto.Window) *image.RGBA {
	g, err := xproto.GetGeometry(d.conn, xproto.Drawable(w)).Reply()
	if err != nil || g.Width == 0 || g.Height == 0 {
		return nil
	}
	s := xproto.Setup(d.conn).DefaultScreen(d.conn)
	r := image.Rect(0, 0, int(g.Width), int(g.Height)).Intersect(
		image.Rect(0, 0, int(s.WidthInPixels), int(s.HeightInPixels)).Sub(image.Pt(int(g.X), int(g.Y))))
	if r.Empty() {
		return nil
	}
	img, err := xproto.GetImage(d.conn, xproto.ImageFormatZPixmap, xproto.Drawable(w), int16(r.Min.X), int16(r.Min.Y),
		uint16(r.Dx()), uint16(r.Dy()), 0xffffffff).Reply()
	if err != nil {
		return nil
	}
	out := &image.RGBA{Pix: img.Data, Stride: 4 * r.Dx(), Rect: r}
	if len(out.Pix) < out.Stride*r.Dy() {
		return nil
	}
	return out
}

// painted says whether a window read back shows a frame: more than a
// blank background (more than 8 colours), drawn to the window's far
// corner. At scale 2 Fyne's first frame is drawn before its framebuffer
// takes the window's size and covers only part of the window, the rest
// left black; no theme's background is black.
func painted(img *image.RGBA) bool {
	if img == nil {
		return false
	}
	corner := img.PixOffset(img.Rect.Max.X-1, img.Rect.Max.Y-1)
	if img.Pix[corner] == 0 && img.Pix[corner+1] == 0 && img.Pix[corner+2] == 0 {
		return false
	}
	var seen []uint32
	for i := 0; i+3 < len(img.Pix); i += 4 {
		c := uint32(img.Pix[i]) | uint32(img.Pix[i+1])<<8 | uint32(img.Pix[i+2])<<16
		if !slices.Contains(seen, c) {
			seen = append(seen, c)
			if len(seen) > 8 {
				return true
			}
		}
	}
	return false
}

// savePNG writes a window read back (BGRX) as a PNG.
func savePNG(path string, img *image.RGBA) error {
	rgba := image.NewRGBA(img.Rect)
	for i := 0; i+3 < len(img.Pix); i += 4 {
		rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2], rgba.Pix[i+3] = img.Pix[i+2], img.Pix[i+1], img.Pix[i], 0xff
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, rgba)
}

// drain drops events left from the run before.
func (d *display) drain() {
	for {
		select {
		case <-d.events:
		default:
			return
		}
	}
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
