#!/usr/bin/env bash
# ctest NaiveSyncTest: bench/naive_sync.py against mm-emulator --generate 60 with churn (3
# joiners, 4 changed, 2 leavers, one row terminated, one deactivated account back on the
# roster): it must do exactly that work, and the server must match the roster afterwards;
# a second run must change nothing. Usage: naive_sync_test.sh MM_EMULATOR
set -euo pipefail
EMU="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
T="$(mktemp -d /tmp/naive-sync-test.XXXXXX)"
TOKEN="naive-test-$RANDOM$RANDOM"
EMU_PID=""
cleanup() {
  [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null && wait "$EMU_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$EMU" --port 0 --admin-token "$TOKEN" --generate 60 --latency-ms 1 > "$T/emu.out" 2> "$T/emu.err" &
EMU_PID=$!
URL=""
for _ in $(seq 300); do
  URL="$(sed -n 's/^mm-emulator listening on \(http[^ ]*\).*/\1/p' "$T/emu.out")"
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || fail "mm-emulator did not start: $(cat "$T/emu.err")"

python3 "$HERE/gen_roster.py" 60 "$T/roster.csv" --joiners 3 --changed 4 --leavers 2 --tag t
# Row 5 is terminated; user000007 is deactivated on the server but active on the roster.
sed -i 's/^\(E000005,.*\),active$/\1,terminated/' "$T/roster.csv"
ID7=$(curl -sf -m 10 -H "Authorization: Bearer $TOKEN" "$URL/api/v4/users/username/user000007" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -m 10 -X DELETE -H "Authorization: Bearer $TOKEN" "$URL/api/v4/users/$ID7" > /dev/null

OUT=$(python3 "$HERE/naive_sync.py" "$URL" "$TOKEN" "$T/roster.csv" --concurrency 4 --check) ||
  fail "naive_sync.py exited non-zero: $OUT"
echo "first run: $OUT"
python3 - "$OUT" <<'PY' || fail "unexpected counts in the first run"
import json, sys
d = json.loads(sys.argv[1])
want = {"created": 3, "patched": 4, "reactivated": 1, "deactivated": 3, "errors": 0, "check": "ok"}
bad = {k: (d.get(k), v) for k, v in want.items() if d.get(k) != v}
sys.exit("mismatch: %r" % bad if bad else 0)
PY
OUT=$(python3 "$HERE/naive_sync.py" "$URL" "$TOKEN" "$T/roster.csv" --concurrency 4 --check) ||
  fail "second run exited non-zero: $OUT"
echo "second run: $OUT"
python3 - "$OUT" <<'PY' || fail "the second run changed something"
import json, sys
d = json.loads(sys.argv[1])
sys.exit(0 if all(d.get(k) == 0 for k in ("created", "patched", "reactivated", "deactivated",
                                           "errors")) and d.get("check") == "ok" else d)
PY
# The check itself must see a difference: one changed last name in a copy of the roster.
sed 's/^\(E000010,[^,]*,[^,]*,[^,]*,\)[^,]*/\1Changed/' "$T/roster.csv" > "$T/other.csv"
cmp -s "$T/roster.csv" "$T/other.csv" && fail "the roster edit did not apply"
if python3 "$HERE/naive_sync.py" "$URL" "$TOKEN" "$T/other.csv" --check-only > "$T/check.out"; then
  fail "--check-only missed a changed last name: $(cat "$T/check.out")"
fi
grep -q "last_name" "$T/check.out" || fail "--check-only did not name the field: $(cat "$T/check.out")"
echo "PASS"
