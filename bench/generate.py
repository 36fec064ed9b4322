"""Generated benchmark projects: many plausible procedures recombined from the seed, with complete catalogs.

Each procedure keeps a share of the seed's sections and list items (in another order, with a numbered name), so
every message it has is one the seed's catalogs translate. The templates and catalogs are made with leaflet's own
segmenter and writer from the procedure as leaflet reads it back, so `leaflet status`, `check` and `build` see a
finished translation project.

Run: .venv/bin/python bench/generate.py DIR [count]
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages import pofile  # noqa: E402

from leaflet import __version__  # noqa: E402
from leaflet.catalogs import PROJECT, Catalog, Layout, procedure_template, read_catalog, serialize  # noqa: E402
from leaflet.locales import display_name, normalize  # noqa: E402
from leaflet.model import Procedure  # noqa: E402
from leaflet.reader import domain_for, parse, read  # noqa: E402
from leaflet.speech.spoken import PRONUNCIATION_FILE  # noqa: E402
from leaflet.wording import DOMAIN as LEAFLET_DOMAIN  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"
SEED_TRANSLATIONS = ROOT / "translations"
LOCALES = ("es", "fr", "zh_Hans")
# Header fields that carry an invented number; the others are the seed's own text.
NUMBERED = ("title", "name")
# Always kept: what the leaflet opens with and the steps themselves, so that every procedure reads as one.
KEPT_SECTIONS = {"summary", "procedure"}
# Headings as authors write them; the reader takes all of these to the same section.
HEADING_STYLES = ("{}", "{}:", "## {}")


@dataclass(frozen=True)
class Seed:
    """The seed procedure and, per locale, its translations keyed by (msgctxt, msgid)."""

    procedure: Procedure
    translations: dict[str, dict[tuple[str, str], str]]
    catalogs: dict[str, Catalog]  # the seed's PO per locale, for its header


def load_seed(locales: tuple[str, ...]) -> Seed:
    layout = Layout(SEED_TRANSLATIONS)
    procedure = read(SEED)
    translations, catalogs = {}, {}
    for locale in locales:
        catalog = read_catalog(layout.po(procedure.domain, locale), locale=locale, domain=procedure.domain)
        translations[locale] = {(m.context, m.id): m.string for m in catalog if m.id and m.string and not m.fuzzy}
        catalogs[locale] = catalog
    return Seed(procedure, translations, catalogs)


def procedure_text(seed: Procedure, number: int, rng: random.Random) -> str:
    """One procedure file: the seed's header with a numbered name, and a share of its sections and items."""
    share = rng.uniform(0.4, 1.0)
    lines = [f"{seed.title.text} {number}", "CPT4 code", "Name of the Procedure:", f"{seed.name.text} {number}"]
    if rng.random() < 0.8:
        lines.append(f"Common names: {seed.common_names.text}")
    if rng.random() < 0.8:
        lines.append(f"Medical terms: {seed.medical_terms.text}")
    style = rng.choice(HEADING_STYLES)
    numbered_steps = rng.random() < 0.5
    for section in seed.sections:
        if section.key not in KEPT_SECTIONS and rng.random() < (1 - share) / 3:
            continue
        items = [b for b in section.blocks if b.kind == "item"]
        kept = rng.sample(items, max(1, round(share * len(items)))) if items else []
        if section.key == "procedure":  # steps keep their order: a patient goes through them one after another
            kept.sort(key=items.index)
        lines.append(style.format(section.heading))
        lines.extend(block.text for block in section.blocks if block.kind == "paragraph")
        for index, item in enumerate(kept, start=1):
            lines.append(f"{index}. {item.text}" if section.key == "procedure" and numbered_steps else f"- {item.text}")
    return "\n".join(lines) + "\n"


def translation(seed: Seed, locale: str, context: str, msgid: str, number: int) -> str:
    """The seed's translation of a message; a numbered name is the seed's name translated, plus its number."""
    found = seed.translations[locale].get((context, msgid))
    suffix = f" {number}"
    if found is None and context in NUMBERED and msgid.endswith(suffix):
        base = seed.translations[locale].get((context, msgid[: -len(suffix)]))
        found = base + suffix if base is not None else None
    if found is None:
        raise ValueError(f"no {locale} translation in the seed for [{context}] {msgid!r}")
    return found


def po_catalog(seed: Seed, template: Catalog, locale: str, number: int) -> Catalog:
    """A complete PO for one procedure, with the header `leaflet init` writes and the seed's dates and translator."""
    header, language = seed.catalogs[locale], _display_name(locale)
    catalog = Catalog(
        locale=locale,
        domain=template.domain,
        project=PROJECT,
        version=__version__,
        charset="utf-8",
        language_team=language,
        last_translator=header.last_translator,
        header_comment=f"# {language} translation of the leaflet domain {template.domain}.\n"
        "# Draft until a qualified medical translator has reviewed it.",
        creation_date=template.creation_date,
        revision_date=header.revision_date,
        fuzzy=False,
    )
    for message in template:
        if message.id:
            catalog.add(
                message.id,
                translation(seed, locale, message.context, message.id, number),
                locations=message.locations,
                auto_comments=message.auto_comments,
                context=message.context,
            )
    return catalog


@lru_cache(maxsize=None)
def _display_name(locale: str) -> str:
    return display_name(locale)  # Babel's locale data lookup: a noticeable share of the time for 600 catalogs


def copy_shared(layout: Layout, locales: tuple[str, ...]) -> None:
    """The leaflet's own wording (template and catalogs) and the pronunciation lists, as shipped."""
    shutil.copyfile(SEED_TRANSLATIONS / f"{LEAFLET_DOMAIN}.pot", layout.template(LEAFLET_DOMAIN))
    for locale in ("en", *locales):
        if locale != "en":
            shared = SEED_TRANSLATIONS / locale / "LC_MESSAGES" / f"{LEAFLET_DOMAIN}.po"
            shutil.copyfile(shared, layout.po(LEAFLET_DOMAIN, locale))
        pronunciation = SEED_TRANSLATIONS / locale / PRONUNCIATION_FILE
        if pronunciation.is_file():
            (layout.root / locale).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pronunciation, layout.root / locale / PRONUNCIATION_FILE)


@contextmanager
def _babel_wrapping_memoized():
    """Babel's PO writer wraps every string afresh, and 600 catalogs of the same few dozen messages spend most of
    their time there. The wrapping is a pure function of its arguments, so remembering it for the length of one
    generation gives the same bytes in about two thirds of the time; Babel's own function is put back after."""
    original = pofile.normalize
    pofile.normalize = lru_cache(maxsize=None)(original)
    try:
        yield
    finally:
        pofile.normalize = original


def generate(n: int, root: Path, locales: tuple[str, ...] = LOCALES, seed: int = 0) -> tuple[Path, Path]:
    """Write n procedures into root/procedures/ and their complete catalogs into root/translations/; return both."""
    locales = tuple(normalize(locale) for locale in locales)
    root = Path(root).resolve()
    procedures, layout = root / "procedures", Layout(root / "translations")
    for folder in (procedures, layout.root):
        if folder.is_dir() and any(folder.iterdir()):
            # a leftover procedure from an earlier, larger run would be built and counted with the new ones
            raise FileExistsError(f"{folder} is not empty; generate into a fresh folder")
    procedures.mkdir(parents=True, exist_ok=True)
    for locale in locales:
        layout.po(LEAFLET_DOMAIN, locale).parent.mkdir(parents=True, exist_ok=True)
    source = load_seed(locales)
    rng = random.Random(seed)
    with _babel_wrapping_memoized():
        for number in range(1, n + 1):
            write_procedure(procedures, layout, source, number, rng, locales, width=max(3, len(str(n))))
    copy_shared(layout, locales)
    return procedures, layout.root


def write_procedure(procedures: Path, layout: Layout, source: Seed, number: int, rng: random.Random,
                    locales: tuple[str, ...], *, width: int) -> None:
    """One procedure file, its template and its catalogs."""
    text = procedure_text(source.procedure, number, rng)
    path = procedures / f"procedure-{number:0{width}d}-{source.procedure.domain}.txt"
    path.write_text(text, encoding="utf-8")
    # the messages as leaflet itself will find them in the file
    procedure = parse(text, source=str(path), domain=domain_for(path))
    template = procedure_template(procedure, location_base=procedures.parent)
    template.creation_date = source.catalogs[locales[0]].creation_date  # same seed, same bytes
    # leaflet's own PO writer; written without fsync: a scratch project needs no crash safety
    layout.template(procedure.domain).write_bytes(serialize(template, document=True))
    for locale in locales:
        catalog = po_catalog(source, template, locale, number)
        layout.po(procedure.domain, locale).write_bytes(serialize(catalog, document=True))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: generate.py DIR [count]")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    start = time.perf_counter()
    procedures, translations = generate(count, Path(sys.argv[1]))
    seconds = time.perf_counter() - start
    print(f"{count} procedures in {procedures}, catalogs in {translations} ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
