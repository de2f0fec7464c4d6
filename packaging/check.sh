#!/usr/bin/env bash
# Builds the Linux package and proves it on this machine: validates the .desktop file, the
# AppStream metainfo and the package (lintian, the Depends list), installs it, runs the
# installed binary headless (its version, and a demo enrichment of the sample file), and
# removes it again. Needs root, cargo-deb, lintian, desktop-file-utils and appstream.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== Validating the desktop entry and the metainfo"
desktop-file-validate packaging/ai.naam.Enrich.desktop
appstreamcli validate --no-net --pedantic packaging/ai.naam.Enrich.metainfo.xml

echo "== Building the package"
cargo deb --locked --output "$work/" >/dev/null
deb=$(ls "$work"/naam-enrich_*.deb)
echo "$deb"

echo "== lintian"
lintian --fail-on error --suppress-tags dir-or-file-in-opt "$deb"

echo "== Depends: the libraries the binary opens at run time"
depends=$(dpkg-deb --field "$deb" Depends)
echo "$depends"
for library in libc6 ca-certificates libx11-6 libxcursor1 libxi6 libxrandr2 libxkbcommon0 \
               libxkbcommon-x11-0 libwayland-client0 libwayland-egl1 libegl1 libgl1; do
  grep -q "\b$library\b" <<<"$depends" || { echo "Depends lacks $library" >&2; exit 1; }
done
ldd "$target_dir/release/naam-enrich" | grep -vE 'linux-vdso|ld-linux|libc\.so|libm\.so|libgcc_s\.so' \
  && { echo "the binary links more than libc; list the library in Depends" >&2; exit 1; } || true

echo "== Installing"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq naam-enrich >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
test -x /usr/bin/naam-enrich
test -f /usr/share/applications/ai.naam.Enrich.desktop
test -f /usr/share/metainfo/ai.naam.Enrich.metainfo.xml
test -f /usr/share/icons/hicolor/256x256/apps/ai.naam.Enrich.png

echo "== Running the installed binary"
version=$(/usr/bin/naam-enrich --version)
[ "$version" = "naam-enrich $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" ] \
  || { echo "unexpected version: $version" >&2; exit 1; }
echo "$version"
cp assets/demo.csv "$work/demo.csv"
NAAM_ENRICH_HOME="$work/home" /usr/bin/naam-enrich enrich --demo "$work/demo.csv" -o "$work/out.csv"
head -1 "$work/out.csv" | grep -q "Caller Name,Lookup Status" \
  || { echo "the demo output has no names" >&2; exit 1; }

echo "== Removing"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq naam-enrich >/dev/null
test ! -e /usr/bin/naam-enrich
trap 'rm -rf "$work"' EXIT
echo "packaging/check.sh: the package builds, validates, installs, runs and uninstalls."
