#!/usr/bin/env python3
"""The sync script an administrator would write by hand: bench/run's baseline (issue 16).

Python standard library only; http.client keep-alive connections, one per worker thread,
the same concurrency as rostersync. For every roster row it GETs the user by email, then
POSTs (no such user), PATCHes the fields that differ, or reactivates; then it lists every
user (page by page, 200 a page) and deactivates the active ones that no active roster row
names (leavers). Bots, system admins and the calling admin are left alone.

  naive_sync.py URL TOKEN ROSTER.csv [--concurrency 8] [--check | --check-only]

The roster has bench/gen_roster.py's columns (employee_id, username, email, first_name,
last_name, title, status). Prints one JSON line: counts of what it did, requests, errors,
seconds. --check then reads every user back and exits 1 unless the server matches the
roster (each active row present, active and equal; nobody else active but the skipped);
--check-only does only that.
"""
import argparse
import csv
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse

TIMEOUT_S = 30
PAGE = 200
MAX_PAGES = 100000  # bound: 20M users
PASSWORD = "Naive-sync-password-1"
FIELDS = (("username", "username"), ("first_name", "first_name"),
          ("last_name", "last_name"), ("position", "title"))


class Client:
    """One keep-alive connection; reconnects once on a dropped connection, waits on 429."""

    def __init__(self, url, token, counter):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        self.counter = counter
        self.conn = None

    def call(self, method, path, body=None):
        data = json.dumps(body) if body is not None else None
        for attempt in range(6):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
            try:
                self.conn.request(method, path, body=data, headers=self.headers)
                r = self.conn.getresponse()
                raw = r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt >= 1:
                    raise
                continue
            self.counter.add(1)
            if r.status == 429 and attempt < 5:
                time.sleep(min(5.0, float(r.getheader("Retry-After") or 1)))
                continue
            return r.status, (json.loads(raw) if raw and r.status < 300 else None)
        return r.status, None


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, n, key="requests"):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n


def read_roster(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sync_row(client, row, counter):
    email = row["email"].lower()
    active = row.get("status", "active") == "active"
    status, user = client.call("GET", "/api/v4/users/email/" + urllib.parse.quote(email, safe="@"))
    if status == 404:
        if not active:
            return
        body = {"username": row["username"], "email": email, "first_name": row["first_name"],
                "last_name": row["last_name"], "position": row["title"], "password": PASSWORD}
        status, _ = client.call("POST", "/api/v4/users", body)
        counter.add(1, "created" if status == 201 else "errors")
        return
    if status != 200:
        counter.add(1, "errors")
        return
    if not active:
        return  # deactivated with the other leavers after the listing
    patch = {f: row[c] for f, c in FIELDS if user.get(f, "") != row[c]}
    if patch:
        status, _ = client.call("PUT", "/api/v4/users/%s/patch" % user["id"], patch)
        counter.add(1, "patched" if status == 200 else "errors")
    if user.get("delete_at", 0):
        status, _ = client.call("PUT", "/api/v4/users/%s/active" % user["id"], {"active": True})
        counter.add(1, "reactivated" if status == 200 else "errors")


def run_workers(n, items, work):
    q = queue.Queue()
    for item in items:
        q.put(item)
    failures = []

    def loop():
        try:
            while True:
                try:
                    item = q.get_nowait()
                except queue.Empty:
                    return
                work(item)
        except Exception as e:  # a worker that dies must not hang the run
            failures.append(repr(e))

    threads = [threading.Thread(target=loop) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("naive_sync: " + failures[0])


def list_users(client):
    users = []
    for page in range(MAX_PAGES):
        status, got = client.call("GET", "/api/v4/users?page=%d&per_page=%d" % (page, PAGE))
        if status != 200:
            sys.exit("naive_sync: listing users: HTTP %d on page %d" % (status, page))
        users.extend(got)
        if len(got) < PAGE:
            return users
    sys.exit("naive_sync: listing users: too many pages")


def skipped(user, me):
    return (user.get("is_bot") or user["id"] == me or
            "system_admin" in user.get("roles", "").split())


def leavers(users, roster, me):
    keep = {r["email"].lower() for r in roster if r.get("status", "active") == "active"}
    return [u for u in users if not u.get("delete_at") and not skipped(u, me) and
            u.get("email", "").lower() not in keep]


def check(client, roster, me):
    by_email = {u.get("email", "").lower(): u for u in list_users(client)}
    bad = []
    for row in roster:
        if row.get("status", "active") != "active":
            continue
        u = by_email.get(row["email"].lower())
        if u is None or u.get("delete_at"):
            bad.append("%s: missing or inactive" % row["email"])
            continue
        bad += ["%s: %s is %r, roster %r" % (row["email"], f, u.get(f), row[c])
                for f, c in FIELDS if u.get(f, "") != row[c]]
    bad += ["%s: active but not in the roster" % u["email"]
            for u in leavers(by_email.values(), roster, me)]
    return bad


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("token")
    p.add_argument("roster")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--check", action="store_true")
    p.add_argument("--check-only", action="store_true")
    a = p.parse_args()
    roster = read_roster(a.roster)
    counter = Counter()
    main_client = Client(a.url, a.token, counter)
    start = time.monotonic()
    status, me = main_client.call("GET", "/api/v4/users/me")
    if status != 200:
        sys.exit("naive_sync: GET /users/me: HTTP %d (URL or token wrong?)" % status)
    if a.check_only:
        bad = check(main_client, roster, me["id"])
        print(json.dumps({"check": "ok" if not bad else
                          "%d mismatches, first: %s" % (len(bad), bad[0])}))
        sys.exit(1 if bad else 0)
    local = threading.local()

    def client():
        if not hasattr(local, "c"):
            local.c = Client(a.url, a.token, counter)
        return local.c

    run_workers(a.concurrency, roster, lambda row: sync_row(client(), row, counter))
    gone = leavers(list_users(main_client), roster, me["id"])

    def deactivate(user):
        status, _ = client().call("DELETE", "/api/v4/users/" + user["id"])
        counter.add(1, "deactivated" if status == 200 else "errors")

    run_workers(a.concurrency, gone, deactivate)
    out = dict(counter.counts)
    out.update(rows=len(roster), seconds=round(time.monotonic() - start, 3))
    for k in ("created", "patched", "reactivated", "deactivated", "errors"):
        out.setdefault(k, 0)
    if a.check:
        bad = check(main_client, roster, me["id"])
        out["check"] = "ok" if not bad else "%d mismatches, first: %s" % (len(bad), bad[0])
    print(json.dumps(out, sort_keys=True))
    sys.exit(1 if out["errors"] or out.get("check", "ok") != "ok" else 0)


if __name__ == "__main__":
    main()
