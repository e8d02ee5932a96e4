#!/usr/bin/env python3
"""Writes a roster CSV that matches `mm-emulator --generate N` person for person, with
optional churn, for bench/run and the reliability drills.

  gen_roster.py N OUT.csv [--joiners J] [--changed C] [--leavers L] [--tag T]
                          [--joiner-prefix P]

Person k (1..N) is employee E%06d with username user%06d, exactly as the emulator makes
them. Churn: the last L people leave (rows removed), C people spread evenly through the
roster get a new last name, and J joiners (new%06d) are appended.
"""
import argparse
import csv

FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis",
         "Frances", "Edsger", "Radia", "Donald"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton",
        "Ritchie", "Allen", "Dijkstra", "Perlman", "Knuth"]
POSITION = ["Engineer", "Designer", "Manager", "Analyst", "Support"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--joiners", type=int, default=0)
    p.add_argument("--changed", type=int, default=0)
    p.add_argument("--leavers", type=int, default=0)
    p.add_argument("--tag", default="x", help="suffix that makes changed names unique per run")
    p.add_argument("--joiner-prefix", default="new", help="username prefix of the joiners")
    a = p.parse_args()
    keep = a.n - a.leavers
    step = max(1, keep // a.changed) if a.changed else 0
    changed = set(range(1, keep + 1, step)[: a.changed]) if a.changed else set()
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["employee_id", "username", "email", "first_name", "last_name", "title", "status"])
        for k in range(1, keep + 1):
            name = "user%06d" % k
            last = LAST[(k // 12) % 12]
            if k in changed:
                last = last + "-" + a.tag
            w.writerow(["E%06d" % k, name, name + "@example.com", FIRST[k % 12], last,
                        POSITION[k % 5], "active"])
        for j in range(1, a.joiners + 1):
            name = a.joiner_prefix + "%06d" % j
            key = "J%06d" % j if a.joiner_prefix == "new" else "J-%s-%06d" % (a.joiner_prefix, j)
            w.writerow([key, name, name + "@example.com", "Joiner", "Number%d" % j,
                        "Engineer", "active"])


if __name__ == "__main__":
    main()
