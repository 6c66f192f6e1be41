"""How reminders read: the digest of a liaison, the office's copy, a group robot's list; how far a due date is
(还有 3 天到期) and units (郑州市 市民政局)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlite_utils

from db.queries import settings as settings_q
from duban.rules.dates import cn_date
from duban.rules.names import ROLE_NAMES
from duban.services import report_cycles

# kind of message: a liaison's digest (by plan), the office's copy (by department), a group robot for all units
DIGEST, OFFICE, ALL_UNITS = "digest", "office", "all"


def relative_day(due: dt.date, today: dt.date, past: str, same: str, ahead: str) -> str:
    """`past` / `ahead` with the number of days ({n}) between today and a due date, or `same` on the day."""
    days = (due - today).days
    if days < 0:
        return past.format(n=-days)
    if days == 0:
        return same
    return ahead.format(n=days)


def unit_name(row: dict) -> str:
    """A unit with its jurisdiction when known: 郑州市 市民政局."""
    return f"{row['jurisdiction']} {row['department']}" if row.get("jurisdiction") else row["department"]


def day_label(due: dt.date, today: dt.date) -> str:
    """已逾期 N 天 / 今日到期 / 还有 N 天到期."""
    return relative_day(due, today, "已逾期 {n} 天", "今日到期", "还有 {n} 天到期")


def _sort_key(item: dict) -> tuple:
    return (item["due"], item.get("plan_id") or 0, item["task_id"], item["department_id"])


def _split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Tasks' deadline items, and reporting-cycle periods still to report."""
    return ([it for it in items if not report_cycles.is_report(it)],
            [it for it in items if report_cycles.is_report(it)])


def ordered(items: list[dict]) -> list[dict]:
    """Tasks' items by due date, plan and task, then the reporting-cycle periods: the order a message lists them."""
    tasks, reports = _split(items)
    return sorted(tasks, key=_sort_key) + sorted(reports, key=report_cycles.sort_key)


def _distinct(items: list[dict]) -> list[dict]:
    """One line per task, unit and due date (two deadlines of a task on one date read as one item)."""
    seen, out = set(), []
    for it in sorted(items, key=_sort_key):
        key = (it["task_id"], it["department_id"], it["due"])
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


def _lines(items: list[dict], today: dt.date, show_unit: bool) -> list[str]:
    out = []
    for n, it in enumerate(_distinct(items), 1):
        due = dt.date.fromisoformat(it["due"])
        number = f"{it['number']} " if it.get("number") else ""
        out.append(f"{n}. 【{day_label(due, today)}】{number}{it['title']}")
        parts = []
        if show_unit:
            parts.append(unit_name(it))
        parts.append(ROLE_NAMES[it["role"]])
        period = f"({it['period_label']})" if it.get("period_label") else ""
        parts.append(f"截止 {it['due']}{period}")
        parts.append(f"当前状态:{it['status']}" + (f" {it['progress']}%" if it.get("progress") else ""))
        out.append("   " + " · ".join(parts))
    return out


def _counts(items: list[dict], today: dt.date) -> tuple[int, int, int]:
    items = _distinct_tasks(items)
    overdue = sum(1 for it in items if it["due"] < today.isoformat())
    due_today = sum(1 for it in items if it["due"] == today.isoformat())
    return overdue, due_today, len(items) - overdue - due_today


def _distinct_tasks(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for it in sorted(items, key=_sort_key):
        if (it["task_id"], it["due"]) not in seen:
            seen.add((it["task_id"], it["due"]))
            out.append(it)
    return out


def _unique_tasks(items: list[dict]) -> int:
    return len(_distinct_tasks(items))


def _signature(db: sqlite_utils.Database) -> str:
    office = settings_q.setting(db, "office_name") or "领导小组办公室"
    return f"——{office}(督办系统自动发送,请勿直接回复)"


def compose_digest(db: sqlite_utils.Database, today: dt.date, items: list[dict], greeting: str) -> tuple[str, str]:
    """A liaison's digest: everything due soon, due today or overdue, grouped by plan, then the reporting-cycle
    periods its units have not reported for."""
    tasks, reports = _split(items)
    departments = {it["department_id"] for it in items}
    lines = [f"{greeting}:"]
    about = []
    if tasks:
        overdue, due_today, soon = _counts(tasks, today)
        n = _unique_tasks(tasks)
        about.append(f"{n} 项任务需关注" + (f"(逾期 {overdue} 项)" if overdue else ""))
        lines += ["", f"截至 {cn_date(today)},以下 {n} 项任务需要关注(已逾期 {overdue} 项,今日到期 {due_today} 项,"
                      f"即将到期 {soon} 项):"]
        by_plan: dict[str, list[dict]] = defaultdict(list)
        for it in tasks:
            by_plan[it.get("plan_title") or "其他交办事项"].append(it)
        for plan, plan_items in sorted(by_plan.items(), key=lambda kv: min(_sort_key(i) for i in kv[1])):
            lines += ["", f"【{plan}】"] + _lines(plan_items, today, show_unit=len(departments) > 1)
    if reports:
        r = len(report_cycles.distinct(reports))
        about.append(f"{r} 项定期进展待报送")
        late = any(it["due"] < today.isoformat() for it in reports)
        lines += ["", f"【定期报送】以下 {r} 项本期进展尚未报送,{'请尽快报送' if late else '请在截止日前报送'}:"]
        lines += report_lines(reports, today, show_unit=len(departments) > 1)
    subject = f"【督办提醒】{cn_date(today)}:" + ",".join(about)
    lines += ["", "请登录督办系统查看详情,并按时报送进展。", _signature(db)]
    return subject, "\n".join(lines)


def compose_by_department(db: sqlite_utils.Database, today: dt.date, items: list[dict], kind: str,
                          greeting: str) -> tuple[str, str]:
    """The office's copy (催办) or a group robot's list: the same items grouped by department, then per
    reporting-cycle period the units that have not reported."""
    tasks, reports = _split(items)
    lines = [f"{greeting}:"]
    about = []
    if tasks:
        overdue, due_today, soon = _counts(tasks, today)
        by_department: dict[str, list[dict]] = defaultdict(list)
        for it in tasks:
            by_department[unit_name(it)].append(it)
        n = _unique_tasks(tasks)
        if kind == OFFICE:
            about.append(f"{len(by_department)} 个单位 {n} 项任务逾期催办")
            intro = f"截至 {cn_date(today)},已向以下 {len(by_department)} 个单位发出催办,涉及 {n} 项任务:"
        else:
            about.append(f"{len(by_department)} 个单位 {n} 项任务需关注")
            intro = (f"截至 {cn_date(today)},以下 {len(by_department)} 个单位的 {n} 项任务需要关注"
                     f"(已逾期 {overdue} 项,今日到期 {due_today} 项,即将到期 {soon} 项):")
        lines += ["", intro]
        overdue_of = {d: sum(1 for i in rows if i["due"] < today.isoformat()) for d, rows in by_department.items()}
        for department in sorted(by_department, key=lambda d: (-overdue_of[d], d)):
            lines += ["", f"【{department}】"] + _lines(by_department[department], today, show_unit=False)
    if reports:
        k = report_cycles.unit_count(reports)
        if kind == OFFICE:
            about.append(f"{k} 个单位未按期报送进展")
            lines += ["", f"【未按期报送进展的单位】以下 {k} 个单位尚未报送本期进展,已发出催报:"]
        else:
            about.append(f"{k} 个单位本期进展待报送")
            lines += ["", f"【定期报送】以下 {k} 个单位尚未报送本期进展:"]
        lines += report_units_section(reports, today)
    prefix = "【督办抄送】" if kind == OFFICE else "【督办提醒】"
    subject = f"{prefix}{cn_date(today)}:" + ",".join(about)
    lines += ["", _signature(db)]
    return subject, "\n".join(lines)


def report_day_label(due: dt.date, today: dt.date) -> str:
    """已过截止日 N 天 / 今日截止 / 还有 N 天截止."""
    return relative_day(due, today, "已过截止日 {n} 天", "今日截止", "还有 {n} 天截止")


def report_lines(items: list[dict], today: dt.date, show_unit: bool) -> list[str]:
    """A liaison's lines: each plan's period still to report, with its due date."""
    out = []
    for n, it in enumerate(report_cycles.distinct(items), 1):
        due = dt.date.fromisoformat(it["due"])
        out.append(f"{n}. 【{report_day_label(due, today)}】《{it.get('plan_title') or '规划'}》{it['rule']}报送进展"
                   f"({it['period_label']})")
        parts = [unit_name(it)] if show_unit else []
        parts += [f"截止 {it['due']}", "本期尚未报送"]
        out.append("   " + " · ".join(parts))
    return out


def report_units_section(items: list[dict], today: dt.date) -> list[str]:
    """The office's or a group robot's lines: per plan and period, the units that have not reported."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for it in report_cycles.distinct(items):
        groups[(it["due"], it.get("plan_title") or "规划", it["rule"], it["period_label"])].append(it)
    out = []
    for (due, plan, rule, period), group in sorted(groups.items()):
        label = report_day_label(dt.date.fromisoformat(due), today)
        out += [f"《{plan}》{rule}报送进展({period},截止 {due},{label}):",
                f"   {'、'.join(unit_name(i) for i in group)}(共 {len(group)} 个单位)"]
    return out
