"""What the 导入 page shows: whether an upload is already stored, the review of what was read, what saving the
corrected tables would do, and the saving itself."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from duban.access import Actor
from duban.errors import DubanError
from duban.services import import_input, import_review, plan_check, plan_import
from duban.services.import_review import TaskReview
from duban.services.plan_import import ImportCheck

NOTHING_FOUND = "没有找到"  # the reader's words for a file with no task it could place: entered by hand instead


@dataclass(frozen=True)
class Preview:
    """The tables as corrected, rebuilt into an extraction, and what saving it would do (or why it cannot)."""

    corrected: dict | None
    check: ImportCheck | None
    problem: str | None
    reviews: list[TaskReview]

    @property
    def revision(self) -> bool:
        """Whether saving replaces a stored plan's version rather than adding a new plan."""
        return self.check is not None and self.check.kind == "revision"


def source_hash(data: bytes) -> str:
    """The file's fingerprint: the same document read again needs no second review."""
    return plan_check.source_hash(data)


def already_stored(db: sqlite_utils.Database, actor: Actor, data: bytes) -> ImportCheck | None:
    """The stored plan this exact file was already imported as, if any."""
    return plan_import.already_stored(db, actor, data)


def entered_by_hand(message: str, name: str) -> tuple[dict, str] | None:
    """For a file the reader found no tasks in: an empty extraction to fill by hand and the title to start
    from (the file's name); None when the reader failed for another reason."""
    if NOTHING_FOUND not in message:
        return None
    return import_input.blank_extraction(name), Path(name).stem


def reviews(db: sqlite_utils.Database, extraction: dict, actor: Actor) -> list[TaskReview]:
    """What to check in each task read (units unknown, no deadline, …), against the directory of the place the
    actor's import would store the plan in."""
    return import_review.review_tasks(db, extraction, actor)


def preview(db: sqlite_utils.Database, actor: Actor, original: dict, meta: dict, task_rows: list[dict],
            deadline_rows: list[dict], indicator_rows: list[dict], name: str, data: bytes) -> Preview:
    """The extraction rebuilt from the tables as corrected, checked as saving would check it."""
    corrected = check = problem = None
    try:
        corrected = import_review.apply_corrections(original, meta, task_rows, deadline_rows, indicator_rows)
        check = plan_import.check_import(db, actor, corrected, name, data)
    except DubanError as e:
        problem = str(e)
    return Preview(corrected, check, problem, import_review.review_tasks(db, corrected or original, actor))


def save(db: sqlite_utils.Database, actor: Actor, shown: Preview, name: str, data: bytes,
         today: dt.date) -> tuple[int, str]:
    """Store the corrected plan (a new one, or the stored one's new version); its id and what was done."""
    plan_id = plan_import.import_plan(db, actor, shown.corrected, name, data, today, confirm_revision=shown.revision)
    done = "已更新" if shown.revision else "已导入"
    return plan_id, f"{done}《{plan_check.display_title(shown.corrected)}》。"
