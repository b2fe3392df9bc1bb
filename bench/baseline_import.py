"""The baseline an import is compared with: the least work a versioned import of a CSV needs.

Read the CSV, insert its rows with sqlite-utils' ``insert_all``, write one record file per row
(the ledger's layout ``records/<kind>/<year>/<id>.json`` and its format: keys sorted, indent 2,
``ensure_ascii=False``, a trailing newline), then ``git add -A`` + ``git commit``::

    python bench/baseline_import.py LEDGER_COPY KIND CSV      # KIND plural: milestones

The CSV gives every field (ids included), as strings, so the files written are the ones
``hrgov import`` writes from the same CSV; the database is a file of its own under the
git-ignored ``.hrgov/``.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import sqlite_utils

root, plural, source = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
kind = plural.removesuffix("s")
with open(source, newline="", encoding="utf-8") as file:
    records = [{**{k: v for k, v in row.items() if v}, "kind": kind}
               for row in csv.DictReader(file)]
db = sqlite_utils.Database(root / ".hrgov" / "baseline.db")
db[plural].insert_all(records, pk="id", replace=True)
folders = set()
for record in records:
    folder = root / "records" / plural / record["id"].split("-")[1]
    if folder not in folders:
        folder.mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    (folder / f"{record['id']}.json").write_text(text, encoding="utf-8")
subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
subprocess.run(["git", "-C", str(root), "commit", "-q", "-m",
                f"import {len(records)} {plural}"], check=True)
