#!/usr/bin/env bash
# The lock files in requirements/ pin every package, with hashes, for Python 3.11 on any platform.
#   scripts/lock.sh            bring the locks in line with pyproject.toml, keeping every pin it can
#   scripts/lock.sh --upgrade  move every package to the newest release pyproject.toml allows
#   scripts/lock.sh --check    fail if pyproject.toml and the locks disagree (CI runs this)
# base.txt is what the portal runs on (make run, the Dockerfile); dev.txt adds the tools and test
# libraries (make test, CI) and is constrained by base.txt, so the two never differ on a package.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(realpath "${UV:-.venv/bin/uv}")
mode=${1:-}
compile() { # $1: output file; the rest: extra arguments
  local out=$1; shift
  "$UV" pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "make lock" --output-file "$out" "$@"
}
case $mode in
  "" | --upgrade)
    upgrade=(); [[ $mode == --upgrade ]] && upgrade=(--upgrade)
    compile requirements/base.txt "${upgrade[@]}"
    compile requirements/dev.txt --extra dev --constraint requirements/base.txt "${upgrade[@]}"
    echo "requirements/base.txt and requirements/dev.txt are up to date with pyproject.toml."
    ;;
  --check)
    # uv keeps the pins already in an output file, so a lock that satisfies pyproject.toml comes
    # back unchanged; any difference means pyproject.toml changed without `make lock`.
    # The copy keeps the same relative paths, so that the files' comments come out the same.
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    mkdir "$tmp/requirements"
    cp pyproject.toml "$tmp/"
    cp requirements/base.txt requirements/dev.txt "$tmp/requirements/"
    (
      cd "$tmp"
      compile requirements/base.txt
      compile requirements/dev.txt --extra dev --constraint requirements/base.txt
    )
    status=0
    for f in base.txt dev.txt; do
      if ! diff -u "requirements/$f" "$tmp/requirements/$f"; then
        echo "requirements/$f disagrees with pyproject.toml: run 'make lock' and commit it." >&2
        status=1
      fi
    done
    exit $status
    ;;
  *) echo "usage: $0 [--upgrade|--check]" >&2; exit 2 ;;
esac
