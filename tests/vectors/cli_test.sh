#!/usr/bin/env bash
# mls-vectors on every supported official file: must print "N passed, 0 failed"
# and exit 0; on a copy with one expected value changed it must exit non-zero
# and print a FAILED line.
set -u
tool=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for type in $("$tool" list); do
  file="$dir/$type.json"
  out=$("$tool" verify --type "$type" "$file")
  rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  if [ $rc -ne 0 ] || ! printf '%s\n' "$last" | grep -Eq '^[1-9][0-9]* passed, 0 failed$'; then
    echo "FAIL: $type: exit $rc, last line '$last'"
    status=1
  else
    echo "ok: $type: $last"
  fi
  # Corrupt one expected value: the first long hex string becomes another one
  # (for tree-math, the first root index).
  if [ "$type" = tree-math ]; then
    sed -E '0,/"root": ?[0-9]+/s//"root": 999999/' "$file" >"$tmp/c.json"
  elif [ "$type" = deserialization ]; then
    sed -E '0,/"length": ?[0-9]+/s//"length": 12345/' "$file" >"$tmp/c.json"
  else
    perl -0pe 's/"([0-9a-f])([0-9a-f]{31,})"/"@{[$1 eq "0" ? "1" : "0"]}$2"/' "$file" >"$tmp/c.json"
  fi
  if cmp -s "$file" "$tmp/c.json"; then
    echo "FAIL: $type: could not corrupt a copy"
    status=1
    continue
  fi
  out=$("$tool" verify --type "$type" "$tmp/c.json")
  rc=$?
  if [ $rc -eq 0 ] || ! printf '%s\n' "$out" | grep -q FAILED; then
    echo "FAIL: $type: a corrupted copy passed (exit $rc)"
    status=1
  else
    echo "ok: $type: corrupted copy rejected"
  fi
done
# Unsupported type and missing file are errors.
if "$tool" verify --type no-such-type "$dir/tree-math.json" >/dev/null 2>&1; then
  echo "FAIL: an unsupported type passed"; status=1
fi
if "$tool" verify --type tree-math "$tmp/missing.json" >/dev/null 2>&1; then
  echo "FAIL: a missing file passed"; status=1
fi
echo '[]' >"$tmp/empty.json"
if "$tool" verify --type tree-math "$tmp/empty.json" >/dev/null 2>&1; then
  echo "FAIL: a file with no case passed"; status=1
fi
exit $status
