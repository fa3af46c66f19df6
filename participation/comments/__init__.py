"""Comments on proposals: stances, one level of replies, edit history and deletion."""
