"""Open data: every public dataset as CSV and JSON with a Frictionless Data descriptor."""
