"""Rebuilds answers.json line numbers from the job code (maintainer tool, stdlib only).

Each finding names a unique marker text; its line is where the marker occurs in the file.
Run after editing a job: python3 samples/retail/tools/build_answers.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from answer_spec import JOBS, PORTFOLIO  # noqa: E402


def line_of(job_id, file, marker):
    path = os.path.join(ROOT, "jobs", job_id, file)
    with open(path, encoding="utf-8") as f:
        hits = [i + 1 for i, text in enumerate(f.read().split("\n")) if marker in text]
    if len(hits) != 1:
        raise SystemExit(f"{job_id}/{file}: marker {marker!r} found {len(hits)} times")
    return hits[0]


def main():
    jobs = []
    for spec in JOBS:
        job = {k: spec[k] for k in ("job_id", "files", "sources", "targets")}
        job["anti_patterns"] = [
            {"rule_id": r, "file": f, "line": line_of(spec["job_id"], f, m), "marker": m, "note": n}
            for (r, f, m, n) in spec["anti_patterns"]
        ]
        job["suspected_defects"] = [
            {"kind": k, "file": f, "line": line_of(spec["job_id"], f, m), "marker": m, "why": w}
            for (k, f, m, w) in spec["suspected_defects"]
        ]
        for k in ("pii_columns", "compliance", "incremental", "escalations"):
            job[k] = spec[k]
        jobs.append(job)
    doc = {"version": 1, "jobs": jobs, "portfolio": PORTFOLIO}
    with open(os.path.join(ROOT, "answers.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
