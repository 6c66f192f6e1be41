"""Use cases in the office's words: import a plan, file a report, review it, close a task."""
