#!/usr/bin/env python3
"""The sample's legacy runner: reproduces one legacy job on given input tables.

    python3 legacy/run.py <job_id> <in_dir> <out_dir> [<params.json>]

<in_dir> holds <schema.table>.jsonl + <schema.table>.schema.json per input table and, optionally,
_params.json (job parameters, widget name -> value). The program writes its output tables to
<out_dir> in the same format. Exit code 0 on success, 2 on bad input, 1 when the job itself fails.
A templated copy (listed in templated.json beside this file) runs its template's program on its own,
renamed curated tables. See README.md in this folder. Standard library only.
"""
import importlib
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sparklike import CopyTables, InputError, Tables  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def template_of(job_id):
    """The coded job a templated copy was made from, or None (templated.json: copy -> template)."""
    path = os.path.join(HERE, "templated.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f).get(job_id)


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    job_id, in_dir, out_dir = argv[1], argv[2], argv[3]
    if not job_id.replace("_", "").isalnum():
        print(f"run.py: invalid job id {job_id!r}", file=sys.stderr)
        return 2
    params_path = argv[4] if len(argv) == 5 else os.path.join(in_dir, "_params.json")
    params = {}
    if os.path.exists(params_path):
        with open(params_path, encoding="utf-8") as f:
            params = json.load(f)
    template = template_of(job_id)
    if template is not None and not template.replace("_", "").isalnum():
        print(f"run.py: invalid template {template!r} for job {job_id!r} in templated.json", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(f"jobs.{template or job_id}")
    except ModuleNotFoundError:
        print(f"run.py: no reference program for job {job_id!r}", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    tables = Tables(in_dir, out_dir) if template is None else CopyTables(in_dir, out_dir, job_id)
    try:
        module.run(tables, params)
    except InputError as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2
    for name, rows in sorted(tables.written.items()):
        print(f"{job_id}: wrote {name} ({rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
