#!/usr/bin/env bash
# Releases the action and the npm package (the command line) together, from one version, in two steps;
# CONTRIBUTING.md ("Releasing") explains how they fit GitHub's immutable releases.
#
#   scripts/release.sh vX.Y.Z            prepare, tag, push, create the GitHub Release as a draft, publish to npm
#   scripts/release.sh --finish vX.Y.Z   after the draft is published: move the major tag vX to vX.Y.Z and push it
#
# Step 1 checks that the work tree is clean, that vX.Y.Z is new and newer than the last release, that CHANGELOG.md
# has a "## [X.Y.Z]" section (the release notes) and that gh and npm are logged in. It sets package.json's version (and
# package-lock.json's) to X.Y.Z, rebuilds dist/ and refuses if the build changed anything but dist/source-hash.txt
# (the lock file is one of its inputs), commits that as "Release vX.Y.Z", tags it vX.Y.Z (annotated), pushes the
# branch and the tag together, creates the GitHub Release vX.Y.Z from the tag as a draft, and publishes the npm package
# from that same commit (npm publish: the package.json version X.Y.Z, the files of its "files" list). Publishing the
# draft is done on GitHub, because only its release form can list the action on the Marketplace.
#
# If the push or gh fails after the tag was made: `git tag -d vX.Y.Z`, then run step 1 again (the version is already
# set and committed, so it only tags, pushes, drafts and publishes). If only npm publish fails, run it again from the
# tag: `git checkout vX.Y.Z && npm publish`. RELEASE_REMOTE names the remote (default: origin).
set -euo pipefail

die() {
  echo "release: $*" >&2
  exit 1
}

finish=false
if [ "${1:-}" = "--finish" ]; then
  finish=true
  shift
fi
version="${1:-}"
[[ "$version" =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] ||
  die "usage: scripts/release.sh [--finish] vX.Y.Z (a semver version with a leading v, e.g. v1.2.0), not '${version}'"
major="v${BASH_REMATCH[1]}"
semver="${version#v}"
remote="${RELEASE_REMOTE:-origin}"

cd "$(git rev-parse --show-toplevel)"
command -v gh >/dev/null || die "the GitHub CLI (gh) is needed: https://cli.github.com"
gh auth status >/dev/null 2>&1 || die "gh is not logged in: run gh auth login"

if $finish; then
  git rev-parse -q --verify "refs/tags/$version" >/dev/null || die "there is no tag $version: run scripts/release.sh $version first"
  draft=$(gh release view "$version" --json isDraft --jq .isDraft) || die "there is no GitHub Release $version"
  [ "$draft" = "false" ] ||
    die "the GitHub Release $version is still a draft: publish it on GitHub (ticking 'Publish this Action to the GitHub Marketplace'), then run this again"
  git tag -fa "$major" -m "$version" "$version^{commit}"
  git push --force "$remote" "refs/tags/$major"
  echo "release: $major now points at $version ($(git rev-parse --short "$version^{commit}"))."
  exit 0
fi

[ -z "$(git status --porcelain)" ] || {
  git status --short >&2
  die "the work tree is not clean: commit or stash first"
}
if git rev-parse -q --verify "refs/tags/$version" >/dev/null; then
  die "tag $version already exists (on $(git rev-list -n 1 "$version"))"
fi
latest=$(git tag --list 'v*.*.*' --sort=-v:refname | head -n 1)
if [ -n "$latest" ] && [ "$(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -n 1)" != "$version" ]; then
  die "$version is not newer than the latest release $latest"
fi
npm whoami >/dev/null 2>&1 || die "npm is not logged in to the registry: run npm login (the package is published with the action)"
branch=$(git rev-parse --abbrev-ref HEAD)
[ "$branch" != HEAD ] || die "HEAD is detached: check out the branch to release from (main)"
[ "$branch" = main ] || echo "release: warning: releasing from branch '$branch', not main" >&2

notes=$(mktemp)
trap 'rm -f "$notes"' EXIT
# The release notes: the lines under "## [X.Y.Z]" up to the next "## [" heading.
awk -v heading="## [$semver]" '
  index($0, heading) == 1 { found = 1; next }
  found && /^## \[/ { exit }
  found { print }
' CHANGELOG.md >"$notes"
grep -q '[^[:space:]]' "$notes" ||
  die "CHANGELOG.md has no '## [$semver]' section with notes: rename [Unreleased] to [$semver] and commit first"

echo "release: setting package.json's version to $semver and rebuilding dist/" >&2
node -e '
  const fs = require("fs")
  const version = process.argv[1]
  for (const file of ["package.json", "package-lock.json"]) {
    if (!fs.existsSync(file)) continue
    const json = JSON.parse(fs.readFileSync(file, "utf8"))
    json.version = version
    if (json.packages && json.packages[""]) json.packages[""].version = version
    fs.writeFileSync(file, JSON.stringify(json, null, 2) + "\n")
  }
' "$semver"
npm run --silent build >&2
stale=$(git status --porcelain -- dist | grep -v ' dist/source-hash.txt$' || true)
if [ -n "$stale" ]; then
  echo "$stale" >&2
  git checkout -q -- .
  git clean -fdq -- dist
  die "dist/ was not what the sources build (the files above): run npm run build, commit dist/, then release"
fi

if [ -n "$(git status --porcelain)" ]; then
  git add -A -- dist
  git add -u -- .
  git commit -q -m "Release $version"
fi
git tag -a "$version" -m "$version"
git push --atomic "$remote" "HEAD:refs/heads/$branch" "refs/tags/$version"
gh release create "$version" --draft --verify-tag --title "$version" --notes-file "$notes"
# The package from the release commit itself: the same dist/ as the tag, the same version as the action.
npm publish --access public ||
  die "npm publish failed; the tag and the draft are in place: run 'git checkout $version && npm publish' to publish it"

cat <<EOF
release: $version is tagged, pushed, drafted, and published to npm. To publish the action:
  1. open the draft above, tick "Publish this Action to the GitHub Marketplace", check the notes, and publish
     (with immutable releases on, $version and its assets can never change afterwards);
  2. scripts/release.sh --finish $version   (moves $major to $version; $major is a plain tag, so it can move).
EOF
