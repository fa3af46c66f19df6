"""Official answers to proposals within a deadline, and how responsive groups and agencies are."""
