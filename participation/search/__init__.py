"""Thai-aware full-text search across proposals, comments, decisions, commitments and meetings."""
