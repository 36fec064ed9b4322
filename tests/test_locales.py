"""Locale names: BCP 47 and POSIX in, Babel's POSIX form out, and refusals."""

from __future__ import annotations

import pytest

from leaflet.errors import CatalogError
from leaflet.locales import normalize, to_bcp47


@pytest.mark.parametrize(
    "given, stored",
    [
        ("es", "es"), ("es-MX", "es_MX"), ("es_MX", "es_MX"), ("es_MX.UTF-8", "es_MX"), ("pt-br", "pt_BR"),
        ("zh-Hans", "zh_Hans"), ("zh_CN", "zh_Hans_CN"), ("tl", "fil"), ("fil", "fil"), ("ht", "ht"),
        ("EN", "en"), ("es-419", "es_419"), ("de_DE@euro", "de_DE"), ("sr_RS@latin", "sr_Latn_RS"),
        ("sr@latin", "sr_Latn"), ("uz@cyrillic", "uz_Cyrl"), ("ca_ES@valencia", "ca_ES_VALENCIA"),
    ],
)
def test_bcp47_and_posix_names_are_stored_in_posix_form(given, stored):
    assert normalize(given) == stored


@pytest.mark.parametrize("name", ["xx", "zz", "und", "C", "POSIX", "", "../es", "es/../../x", "es\x00", "/etc", "es..", "e", "es@../x", "und-US", "be@latin"])
def test_unknown_or_unsafe_locales_are_refused_in_one_line(name):
    with pytest.raises(CatalogError, match="unknown locale") as err:
        normalize(name)
    assert "\n" not in str(err.value)


def test_bcp47_form_for_documents():
    assert to_bcp47("zh_Hans") == "zh-Hans"
    assert to_bcp47("pt_BR") == "pt-BR"
