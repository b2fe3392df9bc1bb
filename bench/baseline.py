"""The baseline a write is compared with: the least work a versioned write needs.

Insert one row with sqlite-utils, write one file, ``git add`` + ``git commit``::

    python bench/baseline.py CLONE_DIR N
"""

import subprocess
import sys
from pathlib import Path

import sqlite_utils

root, n = Path(sys.argv[1]), sys.argv[2]
db = sqlite_utils.Database(root / "baseline.db")
db["decisions"].insert({"id": f"B-{n}", "title": f"Baseline decision {n}"}, pk="id", replace=True)
path = root / "records" / "baseline" / f"B-{n}.json"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(f'{{"id": "B-{n}", "title": "Baseline decision {n}"}}\n')
subprocess.run(["git", "-C", str(root), "add", str(path)], check=True)
subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", f"baseline {n}"], check=True)
