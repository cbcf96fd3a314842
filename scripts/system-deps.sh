#!/usr/bin/env bash
# Installs Debian packages the tests or benchmarks need, only when missing.
#   bash scripts/system-deps.sh            -> packages in infra/system-packages.txt (tests)
#   bash scripts/system-deps.sh pkg ...    -> the named packages (benchmarks)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -gt 0 ]; then pkgs=("$@"); else mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$HERE/infra/system-packages.txt" || true); fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "[vigil] installing Debian packages: ${missing[*]}" >&2
exec 9>/tmp/vigil-apt.lock; flock 9
# Only the programs are needed: packages that ship a daemon (prometheus, prometheus-alertmanager)
# must not start it (there may be no systemd, and a running one would hold :9090/:9093). A
# policy-rc.d that answers 101 makes invoke-rc.d and deb-systemd-invoke skip every start.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# vigil system-deps: no service starts during this install\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
