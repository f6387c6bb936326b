"""The templates' own words in other languages: gettext catalogs, through Babel and Jinja's i18n
extension (issue 26), the ecosystem's usual way.

Why: the sentences of the templates (headings, "How to do it", the builder's and "Do it with me"'s
words) are not data, but a translator must reach them without reading Jinja. They are marked
`{% trans %}…{% endtrans %}` or `_("…")` in pages/templates/, extracted with
`pybabel extract -F babel.cfg -o hooks/exercise_guide/pages/locales/messages.pot .`, and translated
in locales/<lang>/LC_MESSAGES/messages.po. The .po file is compiled here, in memory, at build time:
no compiled .mo file is committed, so it can never be out of date. English uses no catalog (the
templates' own words).
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"


def po_file(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English: none, the templates' words as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    with po_file(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def untranslated(lang: str) -> list[str]:
    """The messages of the templates that the catalog of `lang` has no words for (or only fuzzy ones)."""
    with po_file(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    return [str(m.id) for m in catalog if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple)
                                                                        else m.string))]
