"""Both catalogues are complete and the interface really switches language."""

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface

from participation.config import ROOT
from participation.core.catalogues import load, untranslated

CATALOGUES = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))


def test_there_is_a_thai_and_an_english_catalogue():
    assert {path.parent.parent.name for path in CATALOGUES} == {"th", "en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogue_has_no_untranslated_or_fuzzy_message(path: Path):
    assert untranslated(path) == []


def test_catalogues_cover_every_message_in_the_code(tmp_path):
    """Extract the messages afresh, so a string added without updating the catalogues fails."""
    template = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k",
        "lazy_gettext", "-k", "lazy_ngettext:1,2", "--ignore-dirs", ".*",
        "-o", str(template), str(ROOT),
    ])
    wanted = {message.id for message in load(template) if message.id}
    assert len(wanted) > 50
    for path in CATALOGUES:
        missing = wanted - {message.id for message in load(path) if message.id}
        assert not missing, f"{path}: run `make update-catalogues` and translate {sorted(missing, key=str)[:5]}"
