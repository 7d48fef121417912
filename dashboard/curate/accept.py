"""`dashboard draft SOURCE --accept`: the candidates the curator kept, moved from drafts/ into data/.

ruamel.yaml reads and writes the data files round-trip: their comments, anchors, key order and quoting come
out byte for byte as they went in (every file of data/ is), so the only change is the records moved. A kept
candidate with the id of a record already there replaces it (a task's outcome); any other is appended.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from ruamel.yaml import YAML

from dashboard.curate.draft import FILES

DRAFT_FIELDS = ("draft", "reason", "searched")  # what the curator judges by, never part of a record


class NothingToAccept(ValueError):
    """No drafts to move."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long quote
    yaml.indent(mapping=2, sequence=2, offset=0)  # the data files' own layout
    return yaml


def accept(folder: Path, data_dir: Path) -> dict[str, int]:
    """Move the records of each drafts file into its data file; {file name: records moved}.

    Every file is rewritten only after all of them are read and merged, each through a temporary file and a
    rename, so an error leaves data/ as it was; the drafts files are removed last.
    """
    drafts = [folder / name for name in FILES if (folder / name).exists()]
    if not drafts:
        raise NothingToAccept(f"{folder} holds no drafts: run `dashboard draft {folder.name}` first")
    yaml, merged, moved = _yaml(), {}, {}
    for path in drafts:
        candidates = yaml.load(path.read_text(encoding="utf-8")) or []
        target_path = data_dir / path.name
        records = yaml.load(target_path.read_text(encoding="utf-8")) if target_path.exists() else None
        records = records if records is not None else []
        where = {record.get("id"): i for i, record in enumerate(records) if "id" in record}
        first_new = len(records)
        for candidate in candidates:
            for name in DRAFT_FIELDS:
                candidate.pop(name, None)
            if candidate.get("id") in where:
                records[where[candidate["id"]]] = candidate
            else:
                records.append(candidate)
        if len(records) > first_new:  # where the new records start, for the next reader of the file
            records.yaml_set_comment_before_after_key(first_new, before=f"accepted from drafts/{folder.name}")
        out = io.StringIO()
        yaml.dump(records, out)
        merged[target_path], moved[path.name] = out.getvalue(), len(candidates)
    for target_path, text in merged.items():
        temporary = target_path.with_suffix(".yaml.accepting")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target_path)
    for path in drafts:
        path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()
    return moved
