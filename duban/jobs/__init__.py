"""The scheduled jobs and what they send: the reminder run, digests, channels, the outbox, the scheduler."""
