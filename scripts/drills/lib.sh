# shellcheck shell=bash
# Shared helpers for the reliability drills (scripts/drills/*). Sourced, not run.
# Every drill: works in one mktemp dir, talks to loopback only, bounds every loop and wait,
# kills every process it started on exit, and ends with one line
#   drill NAME: PASS|FAIL key=value ...
# (exit 0 on PASS, 1 on FAIL, 2 when the drill itself could not run).
#
# Binaries: $ROSTERSYNC_BIN and $MM_EMULATOR_BIN, else $ROSTERSYNC_BUILD_DIR (default
# build/drills, built on demand: `ninja rostersync mm-emulator` only).
# Needs: bash, curl, jq, python3, sqlite3 (the secrets and kill9 drills).

set -uo pipefail

DRILL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRILL_NAME="${DRILL_NAME:-$(basename "$0")}"
DRILL_PIDS=()
DRILL_KEEP="${DRILL_KEEP:-0}"   # 1: keep the work dir (its path is printed) for a post-mortem
ADMIN_TOKEN="tok-emu-admin-0123456789abcdef"

drill_log() { echo "[$DRILL_NAME $(date +%H:%M:%S)] $*" >&2; }

drill_cleanup() {
  local pid
  for pid in "${DRILL_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${DRILL_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
    if [ "$DRILL_KEEP" = 1 ]; then drill_log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  fi
}

# drill_init: makes $WORK and installs the cleanup trap.
drill_init() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/drill-$DRILL_NAME.XXXXXX")"
  trap drill_cleanup EXIT
  trap 'exit 130' INT TERM
}

# drill_result PASS|FAIL key=value...: prints the result line and exits (0 PASS, 1 FAIL).
drill_result() {
  local verdict="$1"; shift
  echo "drill $DRILL_NAME: $verdict $*"
  [ "$verdict" = PASS ] && exit 0
  exit 1
}

# drill_abort MESSAGE: the drill could not run (missing binary, emulator did not start).
drill_abort() {
  echo "drill $DRILL_NAME: FAIL error=\"$*\""
  exit 2
}

# find_binaries: sets RS (rostersync) and EMU (mm-emulator), building them if needed.
find_binaries() {
  local build="${ROSTERSYNC_BUILD_DIR:-$DRILL_ROOT/build/drills}"
  RS="${ROSTERSYNC_BIN:-$build/daemon/rostersync}"
  EMU="${MM_EMULATOR_BIN:-$build/emulator/mm-emulator}"
  if [ ! -x "$RS" ] || [ ! -x "$EMU" ]; then
    if [ -z "${ROSTERSYNC_BIN:-}${MM_EMULATOR_BIN:-}" ]; then
      drill_log "building rostersync and mm-emulator in $build"
      if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$DRILL_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
          drill_abort "cmake configure failed"
      fi
      ninja -C "$build" -j2 rostersync mm-emulator >"${WORK:-/tmp}/build.log" 2>&1 ||
        drill_abort "build failed (see ninja -C $build rostersync mm-emulator)"
    fi
  fi
  [ -x "$RS" ] || drill_abort "no rostersync binary at $RS"
  [ -x "$EMU" ] || drill_abort "no mm-emulator binary at $EMU"
}

# start_emulator ARGS...: starts mm-emulator on a free loopback port; sets EMU_URL, EMU_PID.
# Waits at most 30 s for its "listening on" line.
start_emulator() {
  local out="$WORK/emu.out"
  : >"$out"
  "$EMU" --port 0 --host 127.0.0.1 --admin-token "$ADMIN_TOKEN" "$@" >"$out" 2>"$WORK/emu.err" &
  EMU_PID=$!
  DRILL_PIDS+=("$EMU_PID")
  for _ in $(seq 1 300); do
    if grep -q 'listening on' "$out" 2>/dev/null; then
      EMU_URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$out" | head -1)"
      [ -n "$EMU_URL" ] && return 0
    fi
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.1
  done
  drill_abort "mm-emulator did not start: $(tail -3 "$WORK/emu.err" 2>/dev/null)"
}

# emu GET|PUT|POST PATH [JSON]: an admin request to the emulator (no faults on /__emu).
emu() {
  local method="$1" path="$2" body="${3:-}"
  if [ "$method" = GET ]; then
    curl -sS --max-time 30 -H "Authorization: Bearer $ADMIN_TOKEN" "$EMU_URL$path"
  else
    # Always a body (Content-Length: 0 at least): the emulator waits for one on a POST
    # that announces no length.
    curl -sS --max-time 30 -X "$method" -H "Authorization: Bearer $ADMIN_TOKEN" \
      -H 'Content-Type: application/json' --data-binary "$body" "$EMU_URL$path"
  fi
}

# forget_pid PID: drops a reaped process from the cleanup list (so a reused pid is never hit).
forget_pid() {
  local keep=() p
  for p in "${DRILL_PIDS[@]:-}"; do [ -n "$p" ] && [ "$p" != "$1" ] && keep+=("$p"); done
  DRILL_PIDS=("${keep[@]:-}")
}

# stop_emulator: SIGTERM (then SIGKILL after 5 s) the emulator started last.
stop_emulator() {
  kill -TERM "$EMU_PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$EMU_PID" 2>/dev/null
  wait "$EMU_PID" 2>/dev/null
  forget_pid "$EMU_PID"
}

emu_faults_off() {
  emu PUT /__emu/faults '{"error_rate":0,"reset_before_rate":0,"reset_after_rate":0,"truncate_rate":0,"stall_rate":0,"latency_ms":0,"jitter_ms":0}' >/dev/null
  emu PUT /__emu/rate_limit '{"per_second":0,"burst":100}' >/dev/null
}

# write_config FILE: a config for the generated roster columns. Reads:
#   ROSTER (csv path), optional CFG_MM (extra lines under mattermost:, 2-space indented),
#   CFG_ROSTER (under roster:), CFG_POLICY (under policy:), CFG_TAIL (whole extra sections),
#   LOG_LEVEL (default warn). The token is in $WORK/mm-token unless CFG_TOKEN_LINE is set.
write_config() {
  local file="$1"
  printf '%s' "$ADMIN_TOKEN" >"$WORK/mm-token"
  chmod 600 "$WORK/mm-token"
  cat >"$file" <<EOF
mattermost:
  url: $EMU_URL
${CFG_TOKEN_LINE:-  token_file: $WORK/mm-token}
  timeout: 10s
  retries: {max_attempts: 6, base_delay: 50ms, max_delay: 2s}
${CFG_MM:-}
roster:
  source: csv
  csv: {path: $ROSTER, settle: 0s}
  key: employee_id
${CFG_ROSTER:-}
fields:
  username: {column: username}
  email: {column: email, transform: [trim, lower]}
  first_name: {column: first_name}
  last_name: {column: last_name}
  position: {column: title}
  active: {column: status, true: [active, leave], false: [terminated]}
policy:
  max_deactivations: 5%
${CFG_POLICY:-}
state:
  database: "sqlite:$WORK/state.db"
audit:
  file: $WORK/audit.jsonl
logging:
  level: ${LOG_LEVEL:-warn}
${CFG_TAIL:-}
EOF
}

# rs ARGS...: runs rostersync with $CONFIG, bounded by RS_TIMEOUT (default 300 s).
rs() { timeout -k 5 "${RS_TIMEOUT:-300}" "$RS" --config "$CONFIG" "$@"; }

# gen_roster N OUT [gen_roster.py flags]: the roster matching `mm-emulator --generate N`.
gen_roster() { python3 "$DRILL_ROOT/bench/gen_roster.py" "$@"; }

# state_users FILE: writes the emulator's user list (username email delete_at id) as TSV.
state_users() {
  emu GET /__emu/state | jq -r '.users[] | [.username, .email, (.delete_at // 0), .id] | @tsv' >"$1"
}

# check_people ROSTER STATE_TSV LEAVERS_FILE: prints "duplicates=N wrong_deactivations=N
# missing=N". A duplicate is a second account for one roster person: any account whose
# username or email local part is the person's username plus a suffix (user000001, user0000012
# is not the same person: the suffix must not start with a digit). A wrong deactivation is a
# deactivated account that is not in LEAVERS_FILE (usernames, one a line). Missing: an active
# roster person with no active account.
check_people() {
  python3 - "$@" <<'PY'
import csv, re, sys
roster, state, leavers_file = sys.argv[1:4]
people = {}
with open(roster, newline="") as f:
    for row in csv.DictReader(f):
        people[row["username"].lower()] = row
leavers = set(l.strip() for l in open(leavers_file) if l.strip())
accounts = {}
dup = 0
wrong = 0
dups = []
pat = re.compile(r"^([a-z]+[0-9]+)([^0-9].*)?$")
by_person = {}
deact = []
for line in open(state):
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 4:
        continue
    u, e, d, _ = parts
    for cand in {u, e.split("@")[0]}:
        m = pat.match(cand)
        if m and (m.group(1) in people or m.group(1) in leavers):
            by_person.setdefault(m.group(1), set()).add(u)
    if d not in ("0", ""):
        deact.append(u)
for p, accts in by_person.items():
    if len(accts) > 1:
        dup += len(accts) - 1
        dups.append("%s:%s" % (p, ",".join(sorted(accts))))
for u in deact:
    if u not in leavers:
        wrong += 1
active = {}
for line in open(state):
    parts = line.rstrip("\n").split("\t")
    if len(parts) >= 4 and parts[2] in ("0", ""):
        active[parts[0]] = 1
missing = sum(1 for p in people if p not in active)
print("duplicates=%d wrong_deactivations=%d missing=%d" % (dup, wrong, missing))
if dups:
    print("dup_detail=" + ";".join(dups[:10]), file=sys.stderr)
PY
}
