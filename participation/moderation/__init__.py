"""Moderation: reports of proposals and comments, hiding with a public reason, and blocks."""
