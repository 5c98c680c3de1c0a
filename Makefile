# gitpat: `make run` starts the app, `make test` runs every test.
# Both install the Debian packages the build needs, when missing.

GO      ?= go
BIN     := bin
VERSION := $(shell sed -n 's/^const Number = "\(.*\)"/\1/p' internal/version/version.go)

# What a Fyne (cgo, OpenGL, X11) build needs.
BUILD_DEPS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests need besides: a virtual X server with software GL, tools
# to find and capture the window, and a real keyring (GNOME Keyring on a
# private D-Bus session).
TEST_DEPS  := xvfb xauth libgl1-mesa-dri xdotool imagemagick dbus dbus-bin gnome-keyring \
              desktop-file-utils appstream
# Cross-compiling the Windows package.
PACKAGE_DEPS := gcc-mingw-w64-x86-64

PREFIX  ?= /usr/local
DESTDIR ?=
APPID   := io.github.gitpat
FYNE    := $(CURDIR)/$(BIN)/fyne
ICON    := $(CURDIR)/assets/icons/512x512.png

.PHONY: all deps test-deps build run test vet unit keyring-test remind-test e2e install-check install uninstall \
        package package-linux package-windows screenshots bench clean

all: build

deps:
	@sh scripts/deps.sh $(BUILD_DEPS)

test-deps: deps
	@sh scripts/deps.sh $(TEST_DEPS)

build: deps
	$(GO) build -o $(BIN)/gitpat ./cmd/gitpat
	CGO_ENABLED=0 $(GO) build -o $(BIN)/gitpat-check ./cmd/gitpat-check

run: build
	$(BIN)/gitpat

vet: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }

# Every package under the race detector: a widget touched off the UI
# goroutine, or a test reading what a check writes, fails here.
unit: deps
	$(GO) test -race ./...

# One real window under Xvfb per tab, then the whole flow with the
# keyboard alone against the demo server; screenshots land in out/e2e and
# out/keyboard.
e2e: test-deps build
	$(GO) build -o $(BIN)/demohost ./internal/demohost
	sh scripts/e2e.sh out/e2e
	sh scripts/keyboard.sh out/keyboard

# The keyring tests against a real Secret Service (GNOME Keyring started
# unlocked on a private D-Bus session with a throwaway HOME).
keyring-test: test-deps
	sh scripts/keyring-test.sh

# gitpat --remind on a private D-Bus session with a notification server
# that records what it gets; then without a bus, and with a stuck server.
remind-test: test-deps build
	sh scripts/remind-test.sh

# Install into a scratch DESTDIR and validate the desktop entry and the
# AppStream metainfo.
install-check: test-deps
	@d=$$(mktemp -d) && $(MAKE) --no-print-directory install DESTDIR=$$d >/dev/null && \
	desktop-file-validate $$d$(PREFIX)/share/applications/$(APPID).desktop && \
	appstreamcli validate --no-net --explain $$d$(PREFIX)/share/metainfo/$(APPID).metainfo.xml && \
	echo "install-check: $$(find $$d -type f | wc -l) files installed and valid"; rm -rf $$d

test: test-deps vet unit keyring-test remind-test e2e install-check

# The binaries, icons, desktop entry and AppStream metainfo, so gitpat
# shows in the desktop menu. PREFIX and DESTDIR are honoured.
install: build
	install -Dm755 $(BIN)/gitpat $(DESTDIR)$(PREFIX)/bin/gitpat
	install -Dm755 $(BIN)/gitpat-check $(DESTDIR)$(PREFIX)/bin/gitpat-check
	install -Dm644 assets/linux/$(APPID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	install -Dm644 assets/linux/$(APPID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml
	install -Dm644 assets/icon.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	for s in 32 48 64 128 256 512; do \
		install -Dm644 assets/icons/$${s}x$${s}.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gitpat $(DESTDIR)$(PREFIX)/bin/gitpat-check \
	      $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop \
	      $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml \
	      $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	for s in 32 48 64 128 256 512; do rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; done

# Packages in dist/: the Linux tar.xz and a Windows gitpat.exe with its
# icon, both made by `fyne package`. It reads FyneApp.toml from the source
# folder and rewrites it, so it works on a copy there; the top-level
# FyneApp.toml stays as it is.
$(FYNE):
	GOBIN=$(CURDIR)/$(BIN) $(GO) install fyne.io/tools/cmd/fyne@v1.7.4

package: package-linux package-windows

package-linux: deps $(FYNE)
	mkdir -p dist
	cp FyneApp.toml cmd/gitpat/FyneApp.toml
	cd cmd/gitpat && $(FYNE) package -os linux -release -icon $(ICON); \
	rc=$$?; rm -f FyneApp.toml fyne_metadata_init.go; exit $$rc
	mv cmd/gitpat/gitpat.tar.xz dist/gitpat-$(VERSION)-linux-amd64.tar.xz

package-windows: deps $(FYNE)
	@sh scripts/deps.sh $(PACKAGE_DEPS)
	mkdir -p dist
	cp FyneApp.toml cmd/gitpat/FyneApp.toml
	cd cmd/gitpat && CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		$(FYNE) package -os windows -release -icon $(ICON); \
	rc=$$?; rm -f FyneApp.toml fyne_metadata_init.go *.syso; exit $$rc
	mv cmd/gitpat/gitpat.exe dist/gitpat-$(VERSION)-windows-amd64.exe

# README screenshots, from the real window under Xvfb.
screenshots: test-deps build
	$(GO) build -o $(BIN)/demohost ./internal/demohost
	sh scripts/screenshots.sh docs/screenshots
	sh scripts/screenshots-reminders.sh docs/screenshots

# Benchmarks (no timed assertions in tests): start-up against a one-label
# Fyne app, each check against its fake with 100 ms added per request, the
# CLI process, and the parsers. Results and floors: docs/BENCHMARKS.md.
bench: test-deps build
	$(GO) build -o $(BIN)/floorapp ./internal/floorapp
	sh scripts/bench-startup.sh 7
	$(GO) test -run '^$$' -bench 'CheckLatency' -benchtime 5x ./hosts
	$(GO) test -run '^$$' -bench 'Process' -benchtime 20x ./cmd/gitpat-check
	$(GO) test -run '^$$' -bench 'Classify|ParseServerURL|Parse|Outline' ./hosts ./internal/... ./assets

clean:
	rm -rf $(BIN) out dist
