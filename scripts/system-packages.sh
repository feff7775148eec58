#!/usr/bin/env bash
# System packages the platform and its tests need, installed with apt-get when missing:
#   gettext (msgfmt, to compile the translations), chromium (browser tests), fonts-noto-cjk (Chinese text
#   in screenshots and PDFs), poppler-utils (PDF to PNG for looking at documents), redis-server (the background
#   queue as production runs it, for CI's PostgreSQL pass).
set -euo pipefail

missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# make cluster (scripts/cluster.py) puts nginx in front of each zone's web processes.
if [ "${1:-}" = "--cluster" ]; then
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages with sudo: ${missing[*]}"
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]} (install them with your package manager)." >&2
  case " ${missing[*]} " in *" gettext "*) exit 1 ;; esac
  echo "Continuing: browser tests will be skipped without chromium." >&2
fi
