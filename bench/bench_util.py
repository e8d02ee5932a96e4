#!/usr/bin/env python3
"""Helpers for bench/run (HTTP to the emulator, request lists for wrk, JSON, the summary).

Standard library only. Every HTTP call has a timeout; every loop is bounded by its input.
  bench_util.py stats URL TOKEN                        print GET /__emu/stats
  bench_util.py get JSONFILE KEY[.KEY...]              print one value of a JSON file
  bench_util.py pages P OUT                            wrk list: GET /api/v4/users?page=0..P-1
  bench_util.py verify-list URL TOKEN OUT              wrk list: verify every non-admin user
  bench_util.py email-gets ROSTER OUT                  wrk list: GET /users/email/{email} per row
  bench_util.py watch-edit IN OUT USERNAME LAST        copy a roster CSV, one last name changed
  bench_util.py last-name URL TOKEN USERNAME           print the server's last name
  bench_util.py actions SYNC_JSON                      count planned actions by type
  bench_util.py wrk-seconds WRK_OUT                    wrk's duration in seconds
  bench_util.py bench-ms GBENCH_JSON NAME_PREFIX       real_time (ms) of one Google Benchmark
  bench_util.py summary RESULTS_ENV                    the one-line summary
"""
import csv
import http.client
import json
import math
import re
import sys
import urllib.parse

TIMEOUT_S = 30


class Emu:
    def __init__(self, url, token):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT_S)
        self.headers = {"Authorization": "Bearer " + token}

    def get(self, path):
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        body = r.read()
        return r.status, (json.loads(body) if body and r.status < 300 else None)


def list_all(emu):
    users, page = [], 0
    while page < 100000:  # bound: 20M users
        status, got = emu.get("/api/v4/users?per_page=200&page=%d" % page)
        if status != 200:
            sys.exit("listing users: HTTP %d on page %d" % (status, page))
        users.extend(got)
        if len(got) < 200:
            return users
        page += 1
    sys.exit("listing users: too many pages")


def cmd_verify_list(url, token, out):
    users = list_all(Emu(url, token))
    with open(out, "w") as f:
        for u in users:
            if u["username"] != "admin":
                f.write("POST /api/v4/users/%s/email/verify/member\n" % u["id"])
    print(len(users) - 1)


def cmd_email_gets(roster, out):
    """The naive script's per-row reads, for wrk to replay (bench/naive_sync.py sends them)."""
    with open(roster) as f, open(out, "w") as g:
        for row in csv.DictReader(f):
            g.write("GET /api/v4/users/email/%s\n" %
                    urllib.parse.quote(row["email"].lower(), safe="@"))


def cmd_watch_edit(src, dst, username, last):
    with open(src) as f:
        rows = list(csv.reader(f))
    header = rows[0]
    ui, li = header.index("username"), header.index("last_name")
    hits = 0
    for r in rows[1:]:
        if r[ui] == username:
            r[li] = last
            hits += 1
    if hits != 1:
        sys.exit("watch-edit: %s found %d times" % (username, hits))
    with open(dst, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def cmd_actions(path):
    with open(path) as f:
        doc = json.load(f)
    counts = {}
    for a in doc.get("plan", {}).get("actions", []):
        if not a.get("held"):
            counts[a["action"]] = counts.get(a["action"], 0) + 1
    total = sum(counts.values())
    print(total, " ".join("%s=%d" % kv for kv in sorted(counts.items())) or "none")


def cmd_wrk_seconds(path):
    with open(path) as f:
        m = re.search(r"BENCH_WRK requests=(\d+) duration_us=(\d+)", f.read())
    if not m:
        sys.exit("wrk-seconds: no BENCH_WRK line in " + path)
    print("%.3f %s" % (int(m.group(2)) / 1e6, m.group(1)))


def cmd_bench_ms(path, prefix):
    with open(path) as f:
        text = f.read()
    try:  # a benchmark may print its own lines after the JSON document
        doc = json.JSONDecoder().raw_decode(text[text.index("{"):])[0]
    except ValueError:
        doc = {}
    for b in doc.get("benchmarks", []):
        if b["name"].startswith(prefix) and b.get("run_type", "iteration") == "iteration":
            scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
            print("%.1f %.1f" % (b["real_time"] * scale, b["cpu_time"] * scale))
            return
    print("na na")


# Issue 16's table: (figure, result key, target as text, passes(value, results)).
TARGETS = [
    ("noop_cpu_s", "noop_cpu_s", "<=0.5", lambda v, r: v <= 0.5),
    ("rss_mb", "rss_mb", "<=150 (<=1200 at 1M)",
     lambda v, r: v <= (1200 if int(r.get("size", 0)) >= 1000000 else 150)),
    ("parse_cpu_ms", "parse_cpu_ms", "<=100", lambda v, r: v <= 100),
    ("req_per_1k_writes", "req_per_1k_writes", "<=1300", lambda v, r: v <= 1300),
    ("rl_429_pct", "rl_429_pct", "<=1", lambda v, r: v <= 1),
    ("naive_ratio", "naive_ratio", ">=50", lambda v, r: v >= 50),
]


def cmd_summary(path):
    r = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                r[k] = v
    parts = []
    for name, key, target, ok in TARGETS:
        value = r.get(key, "na")
        try:
            verdict = "ok" if ok(float(value), r) else "MISSED"
        except ValueError:
            verdict = "na"
        parts.append("%s=%s(target%s:%s)" % (name, value, target, verdict))
    keys = ["size", "latency_ms", "noop_s", "noop_requests", "noop_kb", "churn_s",
            "churn_requests", "churn_kb", "churn_writes", "naive_s", "naive_requests",
            "naive_kb", "naive_wrk_ratio", "floor_ratio", "rl_write_rate", "watch_s", "parse_ms",
            "plan_ms"]
    print("bench: " + " ".join(parts) + " | " +
          " ".join("%s=%s" % (k, r.get(k, "na")) for k in keys))


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "stats":
        status, got = Emu(args[0], args[1]).get("/__emu/stats")
        print(json.dumps(got))
    elif cmd == "get":
        with open(args[0]) as f:
            v = json.load(f)
        for k in args[1].split("."):
            v = v.get(k, 0) if isinstance(v, dict) else 0
        print(v)
    elif cmd == "pages":
        with open(args[1], "w") as f:
            for p in range(int(args[0])):
                f.write("GET /api/v4/users?page=%d&per_page=200\n" % p)
    elif cmd == "verify-list":
        cmd_verify_list(*args)
    elif cmd == "email-gets":
        cmd_email_gets(*args)
    elif cmd == "watch-edit":
        cmd_watch_edit(*args)
    elif cmd == "last-name":
        status, user = Emu(args[0], args[1]).get("/api/v4/users/username/" + args[2])
        print(user["last_name"] if user else "")
    elif cmd == "actions":
        cmd_actions(args[0])
    elif cmd == "wrk-seconds":
        cmd_wrk_seconds(args[0])
    elif cmd == "bench-ms":
        cmd_bench_ms(*args)
    elif cmd == "calc":  # calc 'expr' with math available; for ratios in bash
        print(eval(args[0], {"math": math}))
    elif cmd == "summary":
        cmd_summary(args[0])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
