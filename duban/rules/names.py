"""How a department is named in documents sent to people: 包头市 + 市民政局 -> 包头市民政局."""
from __future__ import annotations


def written_name(jurisdiction: str | None, name: str) -> str:
    """The department's full name as an official document writes it.

    Plans name departments by level (市民政局, 县卫健委); across several jurisdictions the place is
    put in front, dropping the level character the two share, so 包头市 + 市民政局 reads 包头市民政局.
    A name that already carries its place (中国人民银行包头市分行) stays as it is.
    """
    if not jurisdiction:
        return name
    stem = jurisdiction[:-1] if len(jurisdiction) > 2 else jurisdiction
    if stem in name:
        return name
    if name[:1] == jurisdiction[-1:]:
        return jurisdiction[:-1] + name
    return jurisdiction + name


# a department's part in a task (task_units.role)
ROLE_NAMES = {"lead": "牵头", "co": "配合"}

# the scheduled jobs and how their runs ended, as the office reads them (提醒设置, `duban status`)
JOB_LABELS = {"overdue": "逾期检查", "remind": "提醒发送", "outbox": "重发失败消息", "backup": "每日备份"}
RUN_STATUS_LABELS = {"ok": "完成", "skipped": "非工作日,未发送", "error": "出错", "running": "运行中"}
