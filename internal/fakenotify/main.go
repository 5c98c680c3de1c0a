// Command fakenotify is a desktop notification server for tests: it owns
// org.freedesktop.Notifications on the session bus (the Desktop
// Notifications Specification 1.2) and writes every notification it gets
// as one JSON line to the file named by -out. With -hang it takes
// notifications and never answers, like a stuck desktop.
//
//	dbus-run-session -- sh -c 'fakenotify -out got.jsonl & ...'
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"

	"github.com/godbus/dbus/v5"
)

const (
	name = "org.freedesktop.Notifications"
	path = "/org/freedesktop/Notifications"
)

// Notification is what Notify receives, as written to -out.
type Notification struct {
	AppName string   `json:"app_name"`
	Icon    string   `json:"app_icon"`
	Summary string   `json:"summary"`
	Body    string   `json:"body"`
	Actions []string `json:"actions"`
	Timeout int32    `json:"expire_timeout"`
}

type server struct {
	mu   sync.Mutex
	out  *os.File
	next uint32
	hang bool
}

// Notify is the specification's Notify(susssasa{sv}i) → u.
func (s *server) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	b, _ := json.Marshal(Notification{AppName: app, Icon: icon, Summary: summary, Body: body, Actions: actions, Timeout: timeout})
	fmt.Fprintf(s.out, "%s\n", b)
	_ = s.out.Sync()
	s.next++
	id := s.next
	s.mu.Unlock()
	if s.hang {
		select {}
	}
	return id, nil
}

// GetCapabilities says what this server shows: a body, nothing more.
func (s *server) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

// GetServerInformation names the server.
func (s *server) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "fakenotify", "gitpat", "1.0", "1.2", nil
}

// CloseNotification closes nothing: nothing is shown.
func (s *server) CloseNotification(id uint32) *dbus.Error { return nil }

func main() {
	out := flag.String("out", "", "file to append each notification to, as a JSON line")
	hang := flag.Bool("hang", false, "never answer Notify")
	flag.Parse()
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakenotify:", err)
		os.Exit(2)
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakenotify: no session bus:", err)
		os.Exit(2)
	}
	s := &server{out: f, hang: *hang}
	if err := conn.Export(s, path, name); err != nil {
		fmt.Fprintln(os.Stderr, "fakenotify:", err)
		os.Exit(2)
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		fmt.Fprintln(os.Stderr, "fakenotify: cannot own", name, err)
		os.Exit(2)
	}
	fmt.Println("ready")
	select {}
}
