"""The catalogs committed under translations/ match what the code and the shipped procedures extract."""

from __future__ import annotations

import pytest

from leaflet import catalogs, translate
from leaflet.catalogs import Layout

from conftest import ROOT

SHIPPED = Layout(ROOT / "translations")


def _messages(catalog):
    return {(m.id, m.context, tuple(m.auto_comments), tuple(m.locations)) for m in catalog if m.id}


@pytest.mark.parametrize("domain", ["leaflet", "hip-joint-denervation"])
def test_committed_templates_are_current(tmp_path, monkeypatch, domain, msgfmt_check):
    monkeypatch.chdir(ROOT)
    translate.extract([ROOT / "assets" / "procedures"], Layout(tmp_path))
    fresh = catalogs.read_catalog(tmp_path / f"{domain}.pot")
    committed = catalogs.read_catalog(SHIPPED.template(domain))
    assert _messages(committed) == _messages(fresh), "run `make demo` (leaflet extract) and commit translations/"
    msgfmt_check(SHIPPED.template(domain))


@pytest.mark.parametrize("domain, locale", SHIPPED.catalogs())
def test_shipped_catalogs_are_as_leaflet_writes_them(domain, locale):
    """So that 'leaflet update' or 'leaflet review' changes only what it means to change in a shipped catalog."""
    path = SHIPPED.po(domain, locale)
    assert catalogs.serialize(catalogs.read_catalog(path), document=domain != "leaflet") == path.read_bytes(), (
        f"{path}: rewrite it with leaflet's writer (read_catalog, write_catalog)"
    )
