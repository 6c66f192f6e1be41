"""duban (督办): tracks the tasks of policy plans, who answers for them, and when they are due."""

__version__ = "0.1.0"
