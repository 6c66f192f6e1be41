"""Reminders: working days, the office's rules, digests, channels, the outbox, scheduled jobs."""
from __future__ import annotations

from duban.reminders.inbox import notify

__all__ = ["notify"]
