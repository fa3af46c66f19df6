"""Enumerations whose members carry a translated label."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

# Keyed by (class, value): members are str, so ProposalState.OPEN == BallotStatus.OPEN == "open"
# and would otherwise share one label.
_LABELS: dict[tuple[type, str], Any] = {}


class LabelledEnum(enum.StrEnum):
    """A string enum stored by value and shown by its translated label."""

    @property
    def label(self) -> str:
        return str(_LABELS.get((type(self), self.value), self.value))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def set_labels(labels: Mapping[enum.Enum, Any]) -> None:
    """Register lazy translated labels for enum members."""
    _LABELS.update({(type(member), member.value): label for member, label in labels.items()})
