"""Sharing results: members and roles, read-only share links, notes, summaries, reports, exports."""
