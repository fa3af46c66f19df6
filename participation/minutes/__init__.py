"""Minutes of a meeting per agenda item: drafting, publishing, approval and corrections."""
