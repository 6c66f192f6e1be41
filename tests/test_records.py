"""Typed records: built in bulk they are the same read-only records the constructor makes."""
from __future__ import annotations

import dataclasses

import pytest

from duban.access import SYSTEM
from duban.rules.records import Department, Task, from_row, many
from duban.services import tasks
from tests.reports_world import TODAY, build


def test_a_record_built_in_bulk_equals_one_built_by_its_constructor_and_stays_read_only():
    made = many(Task, {"id": 1, "title": "建设社区嵌入式养老服务设施", "status": "推进中",
                       "departments": (Department(1, "市民政局", role="lead"),)})
    assert made == Task(1, "建设社区嵌入式养老服务设施", "推进中", departments=(Department(1, "市民政局", role="lead"),))
    assert made.units == ("市民政局",) and made.light == "" and made.deadlines == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.status = "已销号"


def test_from_row_keeps_only_the_fields_a_record_names():
    row = {"id": 3, "name": "市卫健委", "jurisdiction_id": 1, "liaison_email": "w@zz.example.gov.cn", "extra": 1}
    assert from_row(Department, row, label="郑州市 · 市卫健委") == Department(
        3, "市卫健委", jurisdiction_id=1, liaison_email="w@zz.example.gov.cn", label="郑州市 · 市卫健委")


def test_every_listed_task_is_a_complete_record(db):
    build(db)
    for row in tasks.list_tasks(db, SYSTEM, TODAY):
        assert row == Task(**{f.name: getattr(row, f.name) for f in dataclasses.fields(Task)})
        full = tasks.get_task(db, SYSTEM, row.id, TODAY)
        assert (full.light, full.next_due, full.upcoming_due, full.lead, full.co) == \
            (row.light, row.next_due, row.upcoming_due, row.lead, row.co)
        assert [(d.id, d.role) for d in full.departments] == [(d.id, d.role) for d in row.departments]
