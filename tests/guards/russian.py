"""A small procedure and its Russian catalogs, put where a build looks for them: the real path a guard test takes
from PO files on disk through localize() to the leaflet and the spoken guide. The Russian texts are written out
here; the shipped Russian wording catalog (leaflet.po) is read as it is."""

from __future__ import annotations

from pathlib import Path

from leaflet import reader
from leaflet.catalogs import Catalog, Layout, procedure_template, read_catalog, serialize
from leaflet.guide import script
from leaflet.localize import Localized, localize
from leaflet.review import record
from leaflet.speech import pronunciation, spoken

from conftest import ROOT

SOURCE = ("Hip injection\n\nSummary\nThis leaflet explains the injection.\n\n"
          "Preparation\n- Do not eat after midnight.\n- Bring your tablets.\n")
RUSSIAN = {
    "Hip injection": "Инъекция в тазобедренный сустав",
    "This leaflet explains the injection.": "Эта памятка рассказывает об инъекции.",
    "Do not eat after midnight.": "Не ешьте после полуночи.",
    "Bring your tablets.": "Возьмите с собой таблетки.",
}


def procedure_of(tmp_path: Path):
    path = tmp_path / "hip-injection.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return reader.read(path)


def procedure_catalog(procedure) -> Catalog:
    """The procedure's Russian catalog, every message translated."""
    made = Catalog(locale="ru", domain=procedure.domain)
    for message in procedure_template(procedure):
        if message.id:
            made.add(message.id, RUSSIAN[message.id], context=message.context)
    return made


def wording_catalog() -> Catalog:
    return read_catalog(ROOT / "translations" / "ru" / "LC_MESSAGES" / "leaflet.po", locale="ru", domain="leaflet")


def put(root: Path, catalog: Catalog, *, reviewed: bool = False) -> Path:
    """Write a catalog where a build looks for it, with a review recorded as `leaflet review` records one."""
    if reviewed:
        record(catalog, "Dr Ana Silva", "2024-03-05", pronunciation.digest(root, "ru"))
    path = Layout(root).po(catalog.domain, "ru")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialize(catalog, document=False))
    return path


def localized(tmp_path: Path, procedure) -> Localized:
    return localize(procedure, "ru", Layout(tmp_path / "translations"), source_bytes=SOURCE.encode())


def spoken_lines(doc: Localized, root: Path) -> list[tuple[str, str | None]]:
    guide = script(doc, spoken.load(root, "ru"), "Clinic", "555 0100", spoken.load(root, "en"))
    return [(line.text, line.lang) for step in guide.steps for line in step.lines]
