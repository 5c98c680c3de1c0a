// Package pkgtest checks the packages `make package` left in dist/
// (GITPAT_DIST): each archive this platform builds is unpacked and its
// contents checked; the Linux one is installed into a scratch prefix and
// validated, and compared with what `make install` puts there; the
// Windows exe's resources (icon, version information, manifest with DPI
// awareness) are read back with the mingw-w64 tools where they are. Its
// test needs the build tag packages: `make package-check`.
package pkgtest
