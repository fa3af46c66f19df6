"""Meetings of a working group: the Thai agenda, attendance per seat and resolutions."""
