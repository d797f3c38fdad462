#!/usr/bin/python3
"""Validates feed events against docs/feed.schema.json.

usage: validate_feed.py SCHEMA EVENTS.jsonl
Each line of EVENTS.jsonl is one message payload. Prints one line per invalid event and exits 1
when any is invalid, 0 when all are valid.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, events_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    count = 0
    with open(events_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            count += 1
            try:
                event = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"line {number}: not JSON: {e}")
                bad += 1
                continue
            errors = sorted(validator.iter_errors(event), key=lambda e: list(e.path))
            for e in errors:
                path = "/".join(str(p) for p in e.path)
                print(f"line {number}: {path}: {e.message}")
            bad += 1 if errors else 0
    print(f"{count} events, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
