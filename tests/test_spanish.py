"""The Spanish edition (issue 26): every page under /es/, made by the same pipeline from the same
data and exercises.es.yml, on both engines (the session's build: EXERCISE_GUIDE_ENGINE).

What a reader would notice: a Spanish page for every English one, a switch between them both
ways, no English sentence in a Spanish page's content, Spanish search finding Spanish pages by
patients' words (accents left out too), no accessibility violations, plain Spanish (INFLESZ
65 or more). What an editor or translator would notice: a missing or stale translation stops
the strict build with file:line: path: message; `exercise-guide check` lists it; `exercise-guide
translate es` says what to do; `languages: [en]` gives the English site alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

import search_ui
from conftest import ENGINE, ROOT, build_site, make_project, wait_until
from local import Requests
from test_builder import AXE_OPTIONS

from exercise_guide.data import translation
from exercise_guide.data.source import read
from exercise_guide.finish import readability, site_search
from exercise_guide.pages import i18n, render

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
SWITCH = re.compile(r'<nav class="lang-switch"[^>]*>.*?<a class="lang-switch__link" rel="alternate" href="([^"]*)" '
                    r'hreflang="(\w+)"', re.S)


def pages(site: Path, lang: str) -> set[str]:
    """The pages (addresses under the language's folder) that show an article, in one language."""
    base = site / "es" if lang == "es" else site
    found = set()
    for file in base.rglob("index.html"):
        rel = file.relative_to(base).as_posix()
        if lang == "en" and rel.startswith("es/"):
            continue
        if ARTICLE.search(file.read_text(encoding="utf-8")):
            found.add(rel.removesuffix("index.html"))
    return found


@pytest.fixture(scope="module")
def spanish(guide):
    """The Spanish edition of the guide, as the build makes it."""
    located = read(ROOT / "exercises.yml")
    catalog = translation.read_catalog(ROOT / "exercises.es.yml", "es")
    return translation.edition(located, catalog)


def test_spanish_is_on_and_every_english_page_has_a_spanish_one(built_site, guide):
    assert guide.languages == ["en", "es"]
    english, spanish_pages = pages(built_site, "en"), pages(built_site, "es")
    assert len(english) >= 20
    assert english == spanish_pages


def test_spanish_pages_say_their_language_and_the_switch_leads_both_ways(built_site):
    for rel in sorted(pages(built_site, "en")):
        for lang, file in (("en", built_site / rel / "index.html"), ("es", built_site / "es" / rel / "index.html")):
            html = file.read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}"', html), (file, lang)
            switch = SWITCH.search(html)
            assert switch, f"{file}: no language switch"
            other = "es" if lang == "en" else "en"
            assert switch.group(2) == other
            target = (file.parent / switch.group(1)).resolve()
            expected = (built_site / ("es/" if other == "es" else "") / rel).resolve()
            assert target == expected, (file, switch.group(1))


def test_spanish_pages_name_the_site_in_spanish(built_site):
    """The header, the browser tab and the printed address of a Spanish page carry the site's Spanish
    name (mkdocs.yml's extra.site_names), an English page the English one."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = {"en": config["site_name"], "es": config["extra"]["site_names"]["es"]}
    assert names["es"] != names["en"]
    for rel in sorted(pages(built_site, "en")):
        for lang, file in (("en", built_site / rel / "index.html"), ("es", built_site / "es" / rel / "index.html")):
            html = unescape(file.read_text(encoding="utf-8"))
            header = re.search(r'<div class="md-header__topic">\s*<span class="md-ellipsis">([^<]*)</span>', html)
            assert header and header.group(1).strip() == names[lang], (file, header and header.group(1))
            assert re.search(r"<title>[^<]*?" + re.escape(names[lang]) + r"</title>", html), file
            assert re.search(r'<p class="print-address">' + re.escape(names[lang]) + r"\.", html), file


PRIMARY_NAV = re.compile(r'<nav class="md-nav md-nav--primary".*?<ul class="md-nav__list" data-md-scrollfix>(.*?)'
                         r'</nav>\s*</div>\s*</div>\s*</div>', re.S)


def test_a_spanish_page_has_the_spanish_menu(built_site):
    """The menu of a Spanish page is the Spanish edition's own: every link leads to a Spanish page,
    in Spanish words, and the logo to the Spanish home; an English page keeps the English menu."""
    for rel in sorted(pages(built_site, "es")):
        file = built_site / "es" / rel / "index.html"
        html = file.read_text(encoding="utf-8")
        menu = PRIMARY_NAV.search(html)
        assert menu, f"{file}: no menu"
        links = re.findall(r'<a href="([^"#][^"]*)" class="md-nav__link', menu.group(1))
        assert len(links) >= 8, (file, links)
        for href in links:
            target = (file.parent / href).resolve()
            assert target.is_relative_to((built_site / "es").resolve()), (file, href)
        titles = [unescape(t).strip() for t in re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', menu.group(1))]
        assert "Home" not in titles and "About this guide" not in titles and "Inicio" in titles, (file, titles)
        logos = re.findall(r'<a href="([^"]*)" title="[^"]*" class="md-(?:header|nav)__button md-logo"', html)
        assert len(logos) == 2 and all((file.parent / logo).resolve() == (built_site / "es").resolve()
                                       for logo in logos), (file, logos)  # the logo leads to the Spanish home
    english = PRIMARY_NAV.search((built_site / "about" / "index.html").read_text(encoding="utf-8")).group(1)
    assert "About this guide" in english


# English words that are no Spanish words: a sentence with two of them is English.
ENGLISH = set("the you your with and this that for it is are be on of to do not if when what how".split())
_SENTENCE = re.compile(r"(?<=[.!?:])\s+")


def english_sentences(html: str, guide) -> list[str]:
    """The sentences of a page's content that are English, leaving out the names of sources
    (titles in <em>, links to References, the sources' bibliographic fields, the English pages'
    titles in About's table of grades)."""
    html = re.sub(r"<em>.*?</em>", " ", html, flags=re.S)
    # About's table of the English pages' grades names English pages: names, as the switch does
    html = re.sub(r'<table class="reading-grades">\s*<caption>Páginas en inglés</caption>.*?</table>', " ", html,
                  flags=re.S)
    html = re.sub(r'<a [^>]*href="[^"]*references/[^"]*"[^>]*>.*?</a>', " ", html, flags=re.S)
    text = site_search.text_of(html)
    for ref in guide.references:
        for field in (ref.authors, ref.title, ref.container, ref.publisher, ref.label):
            if field:
                text = text.replace(str(field), " ")
    found = []
    for sentence in _SENTENCE.split(text):
        words = re.findall(r"[a-z']+", sentence.lower())
        if sum(word in ENGLISH for word in words) >= 2:
            found.append(sentence)
    return found


def test_no_english_sentence_is_left_in_a_spanish_page(built_site, guide):
    left = {}
    for rel in sorted(pages(built_site, "es")):
        article = ARTICLE.search((built_site / "es" / rel / "index.html").read_text(encoding="utf-8")).group(1)
        found = english_sentences(article, guide)
        if found:
            left[rel] = found
    assert not left, left
    # and the check finds English where there is some
    english = ARTICLE.search((built_site / "get-help" / "index.html").read_text(encoding="utf-8")).group(1)
    assert len(english_sentences(english, guide)) > 10


def test_every_spanish_page_is_fairly_easy_to_read(built_site):
    scores = {}
    for rel in sorted(pages(built_site, "es")):
        article = ARTICLE.search((built_site / "es" / rel / "index.html").read_text(encoding="utf-8")).group(1)
        scores[rel] = readability.measure(article, "es")[0]
    low = {rel: score for rel, score in scores.items() if score < 65}
    assert not low, f"INFLESZ under 65 (not 'fairly easy'): {low}"
    # The About pages show both tables: English grades and Spanish INFLESZ, with the same numbers.
    about = (built_site / "es" / "about" / "index.html").read_text(encoding="utf-8")
    assert about.count('<table class="reading-grades">') == 2 and "INFLESZ" in about
    english_about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert english_about.count('<table class="reading-grades">') == 2


def test_emergency_words_in_spanish_from_the_same_setting(built_site, guide, spanish):
    page = ARTICLE.search((built_site / "es" / "get-help" / "index.html").read_text(encoding="utf-8")).group(1)
    text = site_search.text_of(page)
    assert f"Llame al {guide.emergency.number} o vaya a {spanish.emergency.place} ahora" in text
    assert f'href="tel:{guide.emergency.number}"' in page
    assert spanish.emergency.place != guide.emergency.place
    home = site_search.text_of(ARTICLE.search((built_site / "es" / "index.html").read_text(encoding="utf-8")).group(1))
    assert f"Llame al {guide.emergency.number}" in home


def test_json_ld_qr_codes_and_redirects_point_to_spanish_pages(guide, spanish):
    ex = spanish.exercises[0]
    ld = render.json_ld(spanish, ex, "https://example.org/", "es")
    assert '"inLanguage":"es"' in ld and f'"url":"https://example.org/es/exercises/{ex.slug}/"' in ld
    pages_es = render.render_pages(spanish, "https://example.org/", lang="es")
    page = pages_es[f"es/exercises/{ex.slug}.md"]
    assert render.qr_svg(f"https://example.org/es/exercises/{ex.slug}/") in page
    assert render.qr_svg(f"https://example.org/exercises/{ex.slug}/") not in page
    moved = spanish.model_copy(update={"exercises": [ex.model_copy(update={"aliases": ["viejo"]}),
                                                     *spanish.exercises[1:]]})
    redirect = render.edition_files(moved, "es")["es/exercises/viejo/index.html"]
    assert '<html lang="es">' in redirect and f'url=../{ex.slug}/' in redirect and "cambió de lugar" in redirect


def test_the_templates_words_all_have_spanish(tmp_path):
    """The catalog has Spanish for every message the templates have now (extracted afresh)."""
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-o", str(pot),
                    "."], cwd=ROOT, check=True, capture_output=True)
    from babel.messages.pofile import read_po

    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot.open("rb")) if m.id}
    catalog = read_po(i18n.po_file("es").open("rb"))
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert wanted <= have, sorted(wanted - have)
    assert not i18n.untranslated("es")


# ----------------------------------------------------------------------------- translators


def _project(tmp_path, change) -> Path:
    project = make_project(tmp_path / "p")
    es = project / "exercises.es.yml"
    es.write_text(change(es.read_text(encoding="utf-8")), encoding="utf-8")
    return project


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_a_missing_or_stale_translation_stops_the_strict_build(tmp_path):
    data = (ROOT / "exercises.yml").read_text(encoding="utf-8")
    text = (ROOT / "exercises.es.yml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text)["texts"]
    missing_key = "red_flags.now.signs.2.text"
    stale_key = next(k for k in entries if k.endswith(".title") and k.startswith("exercises."))

    def change(source: str) -> str:
        # one entry made from other English (its hash changed), one entry gone
        old = entries[stale_key]["en"]
        source = source.replace(f'  {stale_key}:\n    en: "{old}"', f'  {stale_key}:\n    en: "000000000000"', 1)
        block = re.search(rf"^  {re.escape(missing_key)}:\n(    .*\n)+", source, re.M)
        return source[:block.start()] + source[block.end():]

    project = _project(tmp_path, change)
    site = tmp_path / "site"
    result = build_site(site, project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert not (site / "index.html").exists()
    es_text = (project / "exercises.es.yml").read_text(encoding="utf-8")
    assert f"exercises.es.yml:{_line_of(es_text, '  ' + stale_key + ':')}: texts.{stale_key}: the English changed" in output
    sign = "It is hard to pee, or you can't pee."
    assert f"exercises.yml:{_line_of(data, sign)}: {missing_key}: no Spanish translation" in output
    assert "Traceback" not in output
    # `exercise-guide check` lists both; `exercise-guide translate es` says what to do, with the English
    cli = Path(sys.executable).parent / "exercise-guide"
    check = subprocess.run([str(cli), "check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 1 and stale_key in check.stderr and missing_key in check.stderr
    todo = subprocess.run([str(cli), "translate", "es"], cwd=project, capture_output=True, text=True)
    assert todo.returncode == 1 and "2 texts to translate" in todo.stdout and sign in todo.stdout
    assert translation.digest(sign) in todo.stdout
    write = subprocess.run([str(cli), "translate", "es", "--write"], cwd=project, capture_output=True, text=True)
    assert write.returncode == 1
    skeleton = yaml.safe_load((project / "exercises.es.yml").read_text(encoding="utf-8"))["texts"]
    assert skeleton[missing_key] == {"en": translation.digest(sign), "es": f"TODO {sign}"}


def test_keys_name_list_items_by_slug_or_key_and_index():
    located = read(ROOT / "exercises.yml")
    keys = translation.texts(located.data)
    for key in ("exercises.knee-to-chest.title", "exercises.knee-to-chest.steps.0",
                "exercises.knee-to-chest.figure.frames.1.shows", "exercises.knee-to-chest.muscles.0.explained",
                "categories.stretching.purpose", "red_flags.now.signs.2.text", "safety.1.in_category.stretching",
                "emergency.place", "activities_to_avoid.jumping.why", "why_exercise.points.0.text",
                "exercises.knee-to-chest.with_me.sides.0", "exercises.knee-to-chest.reviewed.by"):
        assert key in keys, key
    assert not [k for k in keys if k.startswith("references.") or k.endswith((".slug", ".posture"))
                or ".cites" in k or k == "emergency.number"]


def test_english_only_is_the_english_site_alone(tmp_path, built_site):
    data = (ROOT / "exercises.yml").read_text(encoding="utf-8").replace("languages: [en, es]", "languages: [en]")
    project = make_project(tmp_path / "p", data)
    (project / "exercises.es.yml").unlink()
    site = tmp_path / "site"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "es").exists()
    assert sorted(p.name for p in (site / "assets" / "search").iterdir()) == ["en.json"]
    for file in site.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        assert "hreflang" not in html and "lang-switch" not in html and "Español" not in html, file
    # The English pages' content is the same as in the two-language site.
    for rel in sorted(pages(built_site, "en")):
        one = ARTICLE.search((site / rel / "index.html").read_text(encoding="utf-8")).group(1)
        two = ARTICLE.search((built_site / rel / "index.html").read_text(encoding="utf-8")).group(1)
        if rel == "about/":  # the grades of the Spanish pages are the one difference
            two = re.sub(r'\n?<table class="reading-grades">\n<caption>Pages in Spanish.*?</table>', "", two, flags=re.S)
            two = two.replace('<caption>Pages in English</caption>\n', "")
        assert one == two, rel


# ----------------------------------------------------------------------------- in the browser

ES = "/es/"
QUERIES = [
    ("ciatica", ES + "get-help/"),
    ("hernia de disco", ES + "get-help/"),
    ("hormigueo en las piernas", ES + "get-help/"),
    ("estiramiento de piernas", ES + "exercises/hamstring-stretch/"),
    ("isquiotibiales", ES + "exercises/hamstring-stretch/"),
    ("rodilla al pecho", ES + "exercises/knee-to-chest/"),
    ("estiramiento de gluteos", ES + "exercises/glute-stretch/"),
    ("piriforme", ES + "exercises/piriformis-stretch/"),
    ("psoas", ES + "exercises/hip-flexor-stretch/"),
    ("talon", ES + "exercises/heel-slides/"),
    ("sentadilla", ES + "exercises/wall-squats/"),
    ("tobillo", ES + "exercises/ankle-pumps/"),
    ("panza", ES + "exercises/abdominal-contraction/"),
    ("abdominales", ES + "exercises/abdominal-contraction/"),
    ("pantorrilla", ES + "exercises/heel-raises/"),
    ("caminar", ES + "exercises/walking/"),
    ("nadar", ES + "exercises/swimming/"),
    ("piscina", ES + "exercises/swimming/"),
    ("bicicleta estatica", ES + "exercises/bike-riding/"),
    ("correr", ES + "avoid/"),
]


@pytest.fixture(scope="module")
def found(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url + ES)
        return search_ui.find_all(page, [q for q, _ in QUERIES])
    finally:
        page.close()


def test_spanish_search_finds_patients_words(found):
    hits = [q for q, want in QUERIES if want in found[q][:3]]
    misses = {q: found[q][:3] for q, want in QUERIES if want not in found[q][:3]}
    assert len(hits) >= 18, f"{len(hits)}/20; missed: {misses}"
    assert all(url.startswith(ES) for results in found.values() for url in results)


def test_spanish_index_has_only_spanish_pages(built_site):
    spanish = search_ui.index_entries(built_site, "es")
    english = search_ui.index_entries(built_site, "en")
    assert spanish and all(d["url"].startswith("es/") for d in spanish)
    assert english and not any(d["url"].startswith("es/") for d in english)
    assert len(spanish) == len(english)


def theirs_text(error: str) -> bool:
    """Zensical 0.0.73's own script throws on the builder's #p=... address (conftest.theirs)."""
    return ENGINE == "zensical" and "bundle." in error


@pytest.mark.parametrize("path", [ES, ES + "exercises/knee-to-chest/", ES + "get-help/", ES + "builder/#p=bridge"])
def test_spanish_pages_pass_axe(browser, site_url, path):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        loading = Requests(page)
        page.goto(site_url + path)
        loading.settle()
        page.locator(".site-search__open").click()  # the search loads its Spanish index and stemmer
        loading.settle()
        wait_until(page, "() => !document.querySelector('.site-search__status').textContent",
                   "the search to be ready (its 'getting ready' line gone, no failure said)")
        page.keyboard.press("Escape")
        result = Axe().run(page, options=AXE_OPTIONS)
        assert result.violations_count == 0, result.generate_report()
        assert not [e for e in errors if not theirs_text(e)], errors
    finally:
        page.close()


def test_the_spanish_builder_lists_and_prints_in_spanish(browser, site_url, spanish):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        first = spanish.exercises[0]
        page.goto(site_url + ES + f"builder/#p={first.slug}")
        page.locator(".builder-choice__title").first.wait_for()
        titles = page.locator(".builder-choice__title").all_inner_texts()
        assert titles[:3] == [e.title for e in spanish.exercises[:3]]
        page.emulate_media(media="print")
        sheet = page.locator("#builder-print").inner_text()
        assert first.title in sheet and first.steps[0] in sheet and "Llame al" in sheet
        href = page.locator(".builder-choice__title").first.get_attribute("href")
        assert "/es/exercises/" in href
    finally:
        page.close()


def test_do_it_with_me_speaks_spanish(browser, site_url):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(site_url + ES + "exercises/knee-to-chest/")
        button = page.locator(".with-me__open")
        assert button.inner_text() == "Hágalo conmigo"
        page.wait_for_function("() => !document.querySelector('.with-me__open').disabled")
        button.click()
        dialog_text = page.locator("body").inner_text()
        assert "Le muestro un paso a la vez" in dialog_text
    finally:
        page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_spanish_exercise_prints_on_two_sheets_at_most(browser, site_url, spanish, paper):
    import io

    from pypdf import PdfReader

    page = browser.new_page()
    too_long = {}
    try:
        page.emulate_media(media="print")
        loading = Requests(page)
        for ex in spanish.exercises:
            page.goto(f"{site_url}{ES}exercises/{ex.slug}/")
            loading.settle()
            reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
            if len(reader.pages) > 2:
                too_long[ex.slug] = len(reader.pages)
            text = " ".join(p.extract_text() for p in reader.pages)
            assert "Pasos" in text or "Cómo hacerlo" in text, ex.slug
    finally:
        page.close()
    assert not too_long, too_long
