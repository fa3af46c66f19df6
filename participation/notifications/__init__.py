"""Following proposals, commitments, KPIs and groups, and the notifications it brings."""
