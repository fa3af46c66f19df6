"""Atom feeds of proposals, decisions and the accountability log; an iCalendar of ballots."""
