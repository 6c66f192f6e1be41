"""A synthetic office at scale: many plans, tasks, deadline instances and a very long report history.

Written straight into a fresh database file with executemany in one transaction (the report indexes are
built after the load), so a million reports take seconds, not hours.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

from db import connect
from duban.rules.instances import expand_instances
from duban.services import users

STATUSES = [("未开始", 15), ("推进中", 50), ("已完成(待审核)", 10), ("已销号", 15), ("需协调", 10)]
REVIEW = [("已采纳", 70), ("待审核", 20), ("已退回", 10)]
DEPT_NAMES = ["民政局", "卫健委", "发展改革委", "财政局", "教育局", "人社局", "住建局", "自然资源局", "市场监管局",
              "医保局", "商务局", "妇联", "残联", "文旅局", "税务局", "工信局", "金融局", "公安局", "司法局",
              "国资委", "应急局", "体育局", "科技局", "总工会", "团委", "工商联", "农业农村局", "交通运输局",
              "生态环境局", "水利局"]
OFFICE_USER, OFFICE_PASSWORD = "bangong", "Bench-office-2026"


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def generate(path: str | Path, plans: int = 100, tasks: int = 10_000, reports: int = 1_000_000,
             today: dt.date | None = None, seed: int = 7) -> dict:
    """Build the synthetic database at `path` (which must not exist); return the row counts and the time taken."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    today = today or dt.date(2026, 11, 22)
    rng = random.Random(seed)
    started = time.perf_counter()
    db = connect(path)
    conn = db.conn
    users.create_user(db, None, OFFICE_USER, OFFICE_PASSWORD, "office", display_name="办公室")
    conn.execute("PRAGMA synchronous=OFF")
    report_indexes = [r[0] for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='reports' AND sql IS NOT NULL")]
    n_juris = max(1, plans // 5)
    conn.execute("BEGIN IMMEDIATE")
    for name in [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='reports' AND sql IS NOT NULL")]:
        conn.execute(f"DROP INDEX {name}")
    conn.executemany("INSERT INTO jurisdictions (id, name) VALUES (?, ?)",
                     [(j + 1, f"模拟{j + 1}市") for j in range(n_juris)])
    department_rows, department_of = [], {}
    for j in range(1, n_juris + 1):
        for name in DEPT_NAMES:
            dep_id = len(department_rows) + 1
            department_rows.append((dep_id, f"市{name}", j, f"联络员{dep_id}", f"0371-6{dep_id:07d}",
                              f"d{dep_id}@sim{j}.example.gov.cn"))
            department_of.setdefault(j, []).append(dep_id)
    conn.executemany("INSERT INTO departments (id, name, jurisdiction_id, liaison_name, liaison_phone, liaison_email) "
                     "VALUES (?,?,?,?,?,?)", department_rows)
    plan_rows, periods = [], {}
    for p in range(1, plans + 1):
        start = dt.date(today.year - rng.randint(1, 5), 1, 1)
        end = dt.date(start.year + rng.choice((4, 5, 6)), 12, 31)
        periods[p] = (start, end, (p - 1) % n_juris + 1)
        plan_rows.append((p, periods[p][2], f"模拟规划{p}", "模拟市人民政府", start.isoformat(), end.isoformat(),
                          f"plan{p}.txt", f"{p:064x}", json.dumps({"title": f"模拟规划{p}"})))
    conn.executemany("INSERT INTO plans (id, jurisdiction_id, title, issuer, period_start, period_end, source_name, "
                     "source_hash, extraction) VALUES (?,?,?,?,?,?,?,?,?)", plan_rows)
    task_rows, unit_rows, deadline_rows, instance_rows, leads = [], [], [], [], []
    per_plan = max(1, tasks // plans)
    instance_id = 0
    for t in range(1, tasks + 1):
        p = min(plans, (t - 1) // per_plan + 1)
        start, end, j = periods[p]
        status = _weighted(rng, STATUSES)
        progress = {"未开始": 0, "已销号": 100, "已完成(待审核)": 100}.get(status, rng.randint(5, 95))
        task_rows.append((t, p, t, str(t), f"模拟任务{t}:推进养老托育服务第{t % 97}项重点工作",
                          f"模拟任务{t}的正文。" * 4, status, progress))
        units = rng.sample(department_of[j], rng.randint(1, 5))
        leads.append(units[0])
        unit_rows += [(t, d, "lead" if i == 0 else "co", i) for i, d in enumerate(units)]
        kind = rng.random()
        if kind < 0.5:
            due = start + dt.timedelta(days=rng.randint(30, (end - start).days))
            deadline = {"kind": "once", "due": due.isoformat(), "phrase": f"{due.year}年底前"}
        elif kind < 0.8:
            deadline = {"kind": "recurring", "freq": "yearly", "month": rng.randint(1, 12), "day": None,
                        "phrase": "每年"}
        elif kind < 0.9:
            deadline = {"kind": "recurring", "freq": "quarterly", "phrase": "每季度"}
        else:
            deadline = {"kind": "plan_end", "phrase": None}
        deadline_rows.append((t, t, deadline["kind"], deadline.get("due"), deadline.get("freq"), deadline.get("month"),
                              deadline.get("phrase")))
        for due, label in expand_instances(deadline, start, end):
            instance_id += 1
            past = due < today
            state = "closed" if status == "已销号" or (past and rng.random() < 0.8) else "open"
            instance_rows.append((instance_id, t, t, due.isoformat(), label, state,
                                  due.isoformat() if state == "closed" else None))
    conn.executemany("INSERT INTO tasks (id, plan_id, seq, number, title, body, status, progress) "
                     "VALUES (?,?,?,?,?,?,?,?)", task_rows)
    conn.executemany("INSERT INTO task_units (task_id, department_id, role, position) VALUES (?,?,?,?)", unit_rows)
    conn.executemany("INSERT INTO deadlines (id, task_id, kind, due, freq, month, phrase) VALUES (?,?,?,?,?,?,?)",
                     deadline_rows)
    conn.executemany("INSERT INTO instances (id, deadline_id, task_id, due, period_label, state, closed_at) "
                     "VALUES (?,?,?,?,?,?,?)", instance_rows)
    has_reported_on = "reported_on" in {r[1] for r in conn.execute("PRAGMA table_info(reports)")}
    first_day = dt.date(today.year - 5, 1, 1).toordinal()
    span = today.toordinal() - first_day

    def report_rows():
        for _ in range(reports):
            t = rng.randint(1, tasks)
            day = dt.date.fromordinal(first_day + rng.randint(0, span - 1)).isoformat()
            row = (t, leads[t - 1], "本期按计划推进,已完成阶段性工作。", rng.randint(0, 100), "推进中",
                   _weighted(rng, REVIEW), f"{day} 10:00:00")
            yield row + (day,) if has_reported_on else row

    cols = "task_id, department_id, progress_text, percent, claimed_status, review_state, created_at"
    if has_reported_on:
        cols += ", reported_on"
    conn.executemany(f"INSERT INTO reports ({cols}) VALUES ({', '.join('?' * len(cols.split(',')))})", report_rows())
    for sql in report_indexes:
        conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('initialised', '1')")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"plans": plans, "tasks": tasks, "instances": len(instance_rows), "reports": reports,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成基准测试用的模拟数据库")
    parser.add_argument("out")
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--today", default="2026-11-22")
    args = parser.parse_args(argv)
    result = generate(args.out, args.plans, args.tasks, args.reports, dt.date.fromisoformat(args.today))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
