#!/usr/bin/env bash
# Makes every icon the installers need from the one source, assets/icon.svg:
# PNGs 16–512 for Linux (hicolor), icon.ico for Windows, icon.icns for macOS, and the 256 px
# PNG the window uses. Needs rsvg-convert (librsvg2-bin), ImageMagick and png2icns (icnsutils).
# The results are committed; run this again only when the SVG changes.
set -euo pipefail
cd "$(dirname "$0")/.."

source=assets/icon.svg
out=packaging/icons
mkdir -p "$out"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$out/hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$source" -o "$out/hicolor/${size}x${size}/apps/ai.naam.Enrich.png"
done
cp "$out/hicolor/256x256/apps/ai.naam.Enrich.png" assets/icon-256.png

# Windows: one .ico holding the sizes Explorer and the taskbar ask for.
convert $(for size in 16 24 32 48 64 128 256; do echo "$out/hicolor/${size}x${size}/apps/ai.naam.Enrich.png"; done) "$out/icon.ico"

# macOS: png2icns takes the sizes it knows (16, 32, 48, 128, 256, 512).
png2icns "$out/icon.icns" $(for size in 16 32 48 128 256 512; do echo "$out/hicolor/${size}x${size}/apps/ai.naam.Enrich.png"; done) >/dev/null
echo "Icons written to $out"
