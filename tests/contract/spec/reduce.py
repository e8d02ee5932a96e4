#!/usr/bin/env python3
"""Reduces an official Mattermost OpenAPI description to what the Prism-based tests need.

Keeps paths, methods, parameters, request bodies, responses, schemas, examples and security;
drops the prose (description, summary, tags' text, contact, logo, terms, externalDocs), so the
repository holds no documentation text of the upstream project, only its machine contract.
The output starts with a comment naming the upstream commit and the input's sha256.

  python3 tests/contract/spec/reduce.py --commit 295228dd... IN.yaml OUT.yaml

Needs python3 and PyYAML (Debian: python3-yaml). See tests/contract/spec/README.md.
"""
import argparse
import hashlib
import sys

import yaml

PROSE_KEYS = {"description", "summary", "termsOfService", "contact", "x-logo",
              "externalDocs", "x-codeSamples"}
# Under these keys the children are names chosen by the document (a schema property may be
# called "description"), so a child is never dropped for its name there.
NAME_MAPS = {"properties", "schemas", "responses", "parameters", "paths", "securitySchemes",
             "requestBodies", "headers", "content", "examples", "variables"}


def reduce_node(node, parent_key=None, is_response=False):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if is_response and key == "description":
                out[key] = ""  # a Response Object must have one; its text is prose
                continue
            if parent_key not in NAME_MAPS and key in PROSE_KEYS:
                continue
            if parent_key == "responses":
                out[key] = reduce_node(value, key, is_response=True)
                continue
            if key == "example" or key == "examples":
                out[key] = value  # kept verbatim: Prism answers with them
                continue
            out[key] = reduce_node(value, key)
        return out
    if isinstance(node, list):
        if parent_key == "tags":
            return [reduce_node(t, None) if isinstance(t, dict) else t for t in node]
        return [reduce_node(v, None) for v in node]
    return node


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", required=True, help="upstream mattermost/mattermost commit")
    parser.add_argument("input")
    parser.add_argument("output")
    args = parser.parse_args()
    raw = open(args.input, "rb").read()
    doc = yaml.safe_load(raw)
    if not isinstance(doc, dict) or "paths" not in doc:
        sys.exit(f"{args.input}: not an OpenAPI document (no 'paths'); give the assembled file")
    reduced = reduce_node(doc)
    header = (
        "# Reduced by tests/contract/spec/reduce.py from the official Mattermost API reference\n"
        f"# (mattermost/mattermost api/v4/source at commit {args.commit});\n"
        f"# input sha256 {hashlib.sha256(raw).hexdigest()}. Paths, parameters, schemas and\n"
        "# examples only; do not edit by hand.\n")
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(header)
        yaml.safe_dump(reduced, out, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    main()
