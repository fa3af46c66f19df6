"""Proposals (measures): drafting, the comment period, supports and the state machine."""
