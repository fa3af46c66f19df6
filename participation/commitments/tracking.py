"""How far a commitment has come: the milestone roll-up formula and the overdue flags."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import format_decimal
from flask_babel import gettext as _

from participation.commitments.models import Commitment, CommitmentStatus, Completion, Milestone

# What each OGP completion level counts for in the roll-up: thirds, exactly.
COMPLETION_SHARE: dict[Completion, Fraction] = {
    Completion.NOT_STARTED: Fraction(0),
    Completion.LIMITED: Fraction(1, 3),
    Completion.SUBSTANTIAL: Fraction(2, 3),
    Completion.COMPLETE: Fraction(1),
}
# A commitment finished or given up is never overdue.
ENDED = (CommitmentStatus.COMPLETED, CommitmentStatus.WITHDRAWN)


def round_half_up(value: Fraction) -> int:
    """Round to a whole number, halves up (Python's round() rounds halves to even)."""
    return math.floor(value + Fraction(1, 2))


def as_percent(value: Fraction) -> int:
    """A share from 0 to 1 as a whole percentage, rounded half up."""
    return round_half_up(value * 100)


@dataclass(frozen=True)
class Term:
    """One milestone's part of the roll-up: its weight times its completion share."""

    milestone: Milestone
    weight: Fraction
    weight_label: str  # as the page shows it: "0.25" for a set weight, "1/3" for equal shares
    share: Fraction

    @property
    def share_percent(self) -> int:
        return as_percent(self.share)


@dataclass(frozen=True)
class RollUp:
    """A commitment's progress as the weighted mean of its milestones' completion."""

    terms: tuple[Term, ...]
    equal_shares: bool

    @property
    def value(self) -> Fraction:
        return sum((term.weight * term.share for term in self.terms), Fraction(0))

    @property
    def percent(self) -> int:
        return as_percent(self.value)

    def formula(self) -> str:
        """The arithmetic in words the page shows, e.g.
        'Progress = 0.50 × 100% + 0.25 × 67% + 0.25 × 0% = 67%'."""
        terms = " + ".join(
            _("%(weight)s × %(percent)s%%", weight=term.weight_label, percent=term.share_percent)
            for term in self.terms
        )
        # i18n: the roll-up formula of a commitment's progress; terms are "0.50 × 100%" parts
        return _("Progress = %(terms)s = %(percent)s%%", terms=terms, percent=self.percent)


def weight_label(weight: Decimal) -> str:
    """A set weight with two or three decimals, in the reader's locale: 0.50, 0.125."""
    return format_decimal(weight, format="0.00#")


def uses_set_weights(milestones: Sequence[Milestone]) -> bool:
    """True when every milestone has a weight; otherwise they share equally."""
    return bool(milestones) and all(m.weight is not None for m in milestones)


def roll_up(milestones: Sequence[Milestone]) -> RollUp | None:
    """Return the roll-up of these milestones, or None when there are none."""
    if not milestones:
        return None
    if uses_set_weights(milestones):
        terms = tuple(
            Term(m, Fraction(m.weight), weight_label(m.weight), COMPLETION_SHARE[m.completion])
            for m in milestones
        )
        return RollUp(terms, equal_shares=False)
    count = len(milestones)
    label = "1" if count == 1 else f"1/{count}"
    terms = tuple(
        Term(m, Fraction(1, count), label, COMPLETION_SHARE[m.completion]) for m in milestones
    )
    return RollUp(terms, equal_shares=True)


def milestone_overdue(milestone: Milestone, today: date) -> bool:
    """A milestone is overdue once its due date has passed and it is not complete."""
    return milestone.due_date < today and milestone.completion != Completion.COMPLETE


def commitment_overdue(commitment: Commitment, today: date) -> bool:
    """A commitment is overdue once its due date has passed and it is neither completed nor
    withdrawn."""
    return commitment.due_date < today and commitment.status not in ENDED


def days_late(due: date, today: date) -> int:
    """Whole days since the due date (0 if not yet past)."""
    return max(0, (today - due).days)
