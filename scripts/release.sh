#!/usr/bin/env bash
# Tags a release of the action. Usage: scripts/release.sh vX.Y.Z
#
# Checks that the work tree is clean and that the committed dist/ is exactly what `npm run build` makes from it,
# then tags HEAD as vX.Y.Z and moves the major tag vX to it (users pin `uses: …@vX`). Nothing is pushed: the
# commands to push are printed at the end.
set -euo pipefail

die() { echo "release: $*" >&2; exit 1; }

version="${1:-}"
[[ "$version" =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] ||
  die "usage: scripts/release.sh vX.Y.Z (a semver version with a leading v, e.g. v1.2.0), not '${version}'"
major="v${BASH_REMATCH[1]}"

cd "$(git rev-parse --show-toplevel)"

[ -z "$(git status --porcelain)" ] || { git status --short >&2; die "the work tree is not clean: commit or stash first"; }
if git rev-parse -q --verify "refs/tags/$version" >/dev/null; then
  die "tag $version already exists (on $(git rev-list -n 1 "$version"))"
fi

latest=$(git tag --list 'v*.*.*' --sort=-v:refname | head -n 1)
if [ -n "$latest" ] && [ "$(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -n 1)" != "$version" ]; then
  die "$version is not newer than the latest release $latest"
fi

branch=$(git rev-parse --abbrev-ref HEAD)
[ "$branch" = main ] || echo "release: warning: tagging on branch '$branch', not main" >&2
grep -q "^## \[${version#v}\]" CHANGELOG.md 2>/dev/null ||
  echo "release: warning: CHANGELOG.md has no '## [${version#v}]' section" >&2

echo "release: rebuilding dist/ to compare it with the committed one" >&2
npm run --silent build >&2
if [ -n "$(git status --porcelain -- dist)" ]; then
  git status --short -- dist >&2
  die "dist/ is not what the sources build: commit the rebuilt dist/ (it is left in the work tree), then run this again"
fi

git tag -a "$version" -m "$version"
git tag -fa "$major" -m "$version" "$version^{commit}"

echo "release: tagged $version and moved $major to $(git rev-parse --short HEAD). To publish:"
echo "  git push origin $version"
echo "  git push --force origin $major"
