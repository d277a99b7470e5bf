#!/usr/bin/env bash
# Installs the Debian packages a target needs, when they are missing.
#   scripts/system-deps.sh run|test|ci
# As root it installs them with apt-get; otherwise it stops with the one line to run.
set -euo pipefail
target=${1:-run}

# Noto covers the scripts of member cities (Thai, Arabic, CJK...) in the PDFs WeasyPrint draws.
run_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
# The browser tests drive Chromium's headless shell (the old headless mode, without the full
# browser's window machinery), as Playwright does with its own download: a fifth less CPU.
test_pkgs=("${run_pkgs[@]}" chromium-headless-shell poppler-utils nodejs npm libatomic1)
ci_pkgs=("${test_pkgs[@]}" redis-server redis-tools wrk)

case $target in
  run) pkgs=("${run_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  ci) pkgs=("${ci_pkgs[@]}") ;;
  *) echo "usage: $0 run|test|ci" >&2; exit 2 ;;
esac
python3 -c 'import ensurepip, venv' 2>/dev/null || pkgs+=(python3-venv)

missing=()
for pkg in "${pkgs[@]}"; do
  # A Node.js installed outside Debian's packages (nodesource, nvm) serves as well.
  if [[ $pkg == nodejs || $pkg == npm ]] && command -v npm >/dev/null && command -v node >/dev/null; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing system packages. Run this once, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
