"""Volunteer tasks on commitments: sign-ups, withdrawals and the waiting list."""
