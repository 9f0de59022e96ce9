"""posapp/i18n.py: which language, and the till's words in it (issue 25 point 1)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp import i18n
from posapp.config import load_config
from posapp.core.keypad import AmountEntry
from posapp.core.till_words import cancelled, ok_words
from tests.core.test_till import gift

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def english() -> Iterator[None]:
    yield
    i18n.use("en")


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_CH.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"),  # C: no language, English
        ({"LANGUAGE": "it:es", "LANG": "it_IT.UTF-8"}, "es"),  # the first one we ship
        ({"LANGUAGE": "it", "LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "pt_BR.UTF-8"}, "en"),
    ],
)
def test_the_os_locale_names_the_language(environ: dict[str, str], language: str) -> None:
    assert i18n.from_environment(environ) == language


def test_the_config_language_comes_before_the_os(
    english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    assert i18n.use("de") == "de"
    assert i18n.use("") == "fr"


def test_a_language_posapp_does_not_speak_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "posapp.toml"
    path.write_text('[terminal]\nlanguage = "it"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="language"):
        load_config(path)
    path.write_text('[terminal]\nlanguage = "de"\n', encoding="utf-8")
    assert load_config(path).terminal.language == "de"


def test_the_tills_words_in_german(english: None) -> None:
    card = gift("SVS_GC-500000000000001")
    entry = AmountEntry("EUR", locale="de_DE").press("1").press("2")
    assert ok_words(entry, "redeem", card) == "Redeem 0,12\xa0€ from ••0001"
    i18n.use("de")
    assert ok_words(entry, "redeem", card) == "0,12\xa0€ von ••0001 einlösen"
    assert cancelled("Karte verkaufen", had_card=True) == (
        "Abgebrochen: Karte verkaufen, da eine andere Karte gescannt wurde."
    )
    i18n.use("en")
    assert ok_words(entry, "redeem", card) == "Redeem 0,12\xa0€ from ••0001"


def test_an_untranslated_plural_is_english(english: None) -> None:
    """Babel compiles it as empty strings: never an empty label on screen."""
    import gettext

    class Untranslated(gettext.NullTranslations):
        def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
            return ""

    i18n.use_translations(Untranslated(), "fr")
    assert i18n.ngettext("{n} card", "{n} cards", 2) == "{n} cards"


def test_importing_reads_no_catalog() -> None:
    """The window's cold start: the catalog is read at the first word after `use`, once."""
    program = (
        "import gettext, sys\n"
        "reads = []\n"
        "real = gettext.translation\n"
        "gettext.translation = lambda *a, **k: reads.append(a) or real(*a, **k)\n"
        "from posapp import i18n\n"
        "import posapp.core.till_words\n"
        "assert reads == [], reads\n"
        "i18n.use('de')\n"
        "assert reads == [], reads\n"
        "assert i18n._('Sell a card') == 'Karte verkaufen'\n"
        "assert i18n._('Printing…') == 'Drucken…'\n"
        "assert len(reads) == 1, reads\n"
    )
    subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True)


def test_the_serial_scanners_words_on_the_status_bar_in_german(english: None) -> None:
    """hardware/ speaks no language of ours: the status bar says its two states in German."""
    from posapp.ui.status_bar import scanner_words

    i18n.use("de")
    assert scanner_words("connected") == "verbunden"
    assert scanner_words("disconnected (OSError): waiting for it to come back") == (
        "getrennt (OSError): wartet, bis er wieder da ist"
    )
    assert scanner_words("something new") == "something new"


def test_who_made_a_manager_change_is_said_in_german_as_the_journal_kept_it(
    english: None,
) -> None:
    """The journal keeps manager_who's English (stored); the reports say it in German."""
    from posapp.core.sign_in import manager_who, said_who

    i18n.use("de")
    assert said_who(manager_who("Ann", pin=True)) == "Manager-PIN, Kassierer Ann"
    assert said_who(manager_who(None, pin=False)) == "kein Kassierer, keine PIN verlangt"
    assert said_who("Ann") == "Ann"  # journal version 9 kept the name alone
    i18n.use("en")
    assert said_who(manager_who("Ann", pin=False)) == "cashier Ann, no PIN asked"
