"""The public, append-only, hash-chained accountability log."""
