#!/usr/bin/env bash
# Renders the HTML report of a `fastagents load` run in headless Chromium and writes a PNG.
#
#   bash perf/screenshot.sh [REPORT.html] [OUT.png]
#
# Without REPORT.html, a short load run (`fastagents load --out artifacts/load-report`, tell mode, 3 s at
# 20,000/s) makes one first. OUT.png defaults to artifacts/load-report.png. Installs the Debian package
# `chromium` when no chromium is on PATH (apt-get; as root, or through sudo).
set -euo pipefail

cd "$(dirname "$0")/.."
report=${1:-}
out=${2:-artifacts/load-report.png}

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package)"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi

if [ -z "$report" ]; then
  echo "== making a report: fastagents load --out artifacts/load-report"
  dotnet run -c Release --project src/FastAgents.Cli -- load --mode tell --rate 20000 --duration 3 --warmup 1 \
    --progress-every 0 --out artifacts/load-report
  report=artifacts/load-report/load.html
fi

if [ ! -f "$report" ]; then
  echo "error: no report at $report" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
out_abs=$(realpath -m "$out")
report_abs=$(realpath "$report")
rm -f "$out_abs"

# --no-sandbox: Chromium refuses to run as root with its sandbox. The window is tall enough for the tables
# and both charts; a fresh profile directory keeps the run from touching anyone's browser profile.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,1300 --screenshot="$out_abs" "file://$report_abs" 2>/dev/null || true

if [ ! -s "$out_abs" ]; then
  echo "error: chromium wrote no screenshot" >&2
  exit 1
fi

size=$(stat -c %s "$out_abs")
echo "screenshot: $out ($size bytes) of $report"
# A blank or error page compresses to a few kilobytes; a page with the tables and two charts does not.
if [ "$size" -lt 30000 ]; then
  echo "error: the screenshot is suspiciously small ($size bytes); open it and look" >&2
  exit 1
fi
