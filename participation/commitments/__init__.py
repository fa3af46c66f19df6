"""Commitments that adopted measures become: milestones and progress (OGP completion levels)."""
