"""Ballots of a working group on a proposal, and the votes of its members."""
