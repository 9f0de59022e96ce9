"""The words a cashier or manager reads, in their language (issue 25, point 1): gettext.

    from posapp.i18n import _, ngettext, N_

Which language: `use(language)`, called once by the composition root (app.py, and the demo
through it) with `[terminal] language` ("de", "fr", "es", "en"); empty: the OS locale
(LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first one set that names a language we ship),
else English. Until `use` is called every word is the English msgid: tests and the command
line read English. The compiled catalog is read once, at the first word asked after `use`
(stdlib gettext; nothing is parsed at import: the window's cold start,
tests/test_cold_start.py).

Money, dates and times are not words: Babel formats them in the store's `[store] locale`,
which may differ from the language (a German screen in a Swiss store).

How to write a new message
--------------------------
- Wrap the whole sentence, with named placeholders, and format after translating:
      f"Redeem {amount} from {card}"  ->  _("Redeem {amount} from {card}").format(amount=..., card=...)
  The placeholders stay exactly as in the msgid in every catalog (a test checks it).
- Never build a sentence from pieces (`"Card " + code + ": " + why`, or "Redeem" + " from"):
  word order differs between languages. Write one message per sentence shape, even if two
  differ only by a word ("Refund {amount} to a new card" / "Refund to a new card").
- A count: `ngettext("{n} card", "{n} cards", n).format(n=n)`.
- A module-level constant or table (read before `use` runs) is marked with `N_("...")`,
  which only marks it for extraction, and translated where it is shown: `_(TITLE)`.
- A short word whose sense depends on where it stands: `pgettext("button", "Open")`.
- A comment `# i18n: ...` on the line above goes to the translators.
- What is stored (the journal, a config file) stays English; translate when it is shown.

Catalogs
--------
posapp/locale/posapp.pot (the template) and posapp/locale/<lang>/LC_MESSAGES/posapp.po are
kept in the repository with their compiled posapp.mo, which is committed too (so a checkout,
`pip install -e .` and the wheel all have it, no build step); tests/test_i18n_catalogs.py
fails when a .mo is not the compile of its .po, or a message is untranslated. After changing
words: `bash posapp/locale/update.sh` (pybabel extract, update, compile), translate the new
msgids in each .po, run it again.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "posapp"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The languages shipped, English first (the msgids themselves).
LANGUAGES = ("en", "de", "fr", "es")
# The variables the OS says its language in, as GNU gettext reads them.
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# The Babel locale of each language, for dates where the store's is another language's.
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}

_ENGLISH = gettext.NullTranslations()
_chosen = "en"
_store_locale = "en_US"
_catalog: gettext.NullTranslations | None = _ENGLISH  # None: to be read at the next word


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The OS locale's language if we ship it, else English. LANGUAGE is a list ("de:fr")."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = env.get(name, "")
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            if code in LANGUAGES:
                return code
        if value and name != "LANGUAGE":  # the locale is set and is none of ours: English
            return "en"
    return "en"


def use(language: str = "", store_locale: str = "") -> str:
    """Choose the language ("" for the OS's); the catalog is read at the next word asked.
    `store_locale` ([store] locale) is the dates' when it speaks that language. Returns the
    language chosen."""
    global _chosen, _catalog, _store_locale
    _chosen = language if language in LANGUAGES else from_environment()
    _store_locale = store_locale or LOCALES[_chosen]
    _catalog = None
    return _chosen


def dates_locale() -> str:
    """The Babel locale dates are said in: the store's ("de_CH") where its language is the
    one on screen, else the screen language's own (no English month on a German screen)."""
    same = _store_locale.replace("-", "_").split("_")[0].lower() == _chosen
    return _store_locale if same else LOCALES[_chosen]


def use_translations(translations: gettext.NullTranslations, language: str = "en") -> None:
    """Use this catalog as it is (tests: a pseudo-locale that marks every word)."""
    global _chosen, _catalog, _store_locale
    _chosen, _catalog, _store_locale = language, translations, LOCALES.get(language, "en_US")


def language() -> str:
    """The language in use: "en", "de", "fr" or "es"."""
    return _chosen


def _translations() -> gettext.NullTranslations:
    global _catalog
    catalog = _catalog
    if catalog is None:
        catalog = _ENGLISH
        if _chosen != "en":
            catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_chosen], fallback=True)
        _catalog = catalog
    return catalog


def _(message: str) -> str:
    """The message in the language in use (the msgid itself in English or when missing)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    # Babel compiles an untranslated plural as empty strings, which gettext would return:
    # English then, as for any message not translated yet.
    said = _translations().ngettext(singular, plural, n)
    return said or (singular if n == 1 else plural)


def pgettext(context: str, message: str) -> str:
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it where it is shown, with `_`."""
    return message
