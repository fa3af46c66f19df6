"""Evaluating together: confirmed and disputed progress, and OGP assessments of commitments."""
