"""Decisions (resolutions) that closed ballots produce, with their public roll-call."""
