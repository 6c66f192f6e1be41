"""The words the extractor knows, as data: every stage reads its vocabulary from here.

Rules in the stage modules say how a pattern is used; this module says which words fill it, so an
office's new wording is a change of data in one place. No topic word decides anything on its own.
"""
from __future__ import annotations

# --- responsibility clauses, units, leads and document rules --------------------------------------

# --- time phrases and plan periods ----------------------------------------------------------------

# --- tables and indicators --------------------------------------------------------------------------
