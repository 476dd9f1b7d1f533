"""The municipality file: Moss's bundled defaults, and clear messages for a broken file."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from domain.municipality import (
    MOSS,
    MOSS_FILE,
    MunicipalityConfigError,
    load_municipality,
    municipality_of,
)
from settings import load_settings
from tests.municipalities import TESTVIK

# The seed's working table (seeds/000_*.txt): the count on 01.09.2023 and the forecast 2035.
SEED_TABLE = {
    "waiting_list.total": (193, 93),
    "dwellings.total_municipal": (831, 954),
    "dwellings.by_category.ordinary_co_owned": (220, 230),
    "dwellings.by_category.ordinary_municipal": (393, 433),
    "dwellings.by_category.lifetime_standard": (208, 248),
    "dwellings.by_category.leased_in": (6, 0),
    "dwellings.by_category.small_house": (4, 30),
    "dwellings.by_category.emergency_families": (0, 5),
    "dwellings.by_category.emergency_substance_mental": (0, 8),
    "dwellings.by_category.referral": (152, 227),
}


def test_moss_is_the_default_with_its_number_and_fourteen_school_districts_in_six_areas() -> None:
    moss = municipality_of(load_settings(municipality=None))
    assert moss == MOSS
    assert (moss.name, moss.number) == ("Moss", "3103")
    assert moss.district_codes[:3] == ("ramberg", "refsnes", "reier")
    assert len(moss.districts) == 14
    assert moss.areas == ("Jeløy", "Østre", "Sentrum", "Midtre", "Nordre", "Søndre")
    assert ("oreasen", "Øreåsen", "Østre") in moss.district_table


def test_moss_plan_targets_are_the_seed_table_from_1_september_2023_to_2035() -> None:
    targets = {t.figure: (t.base_value, t.target_value) for t in MOSS.targets}
    assert targets == SEED_TABLE
    assert {(t.base_date, t.target_year) for t in MOSS.targets} == {(date(2023, 9, 1), 2035)}


def test_the_setting_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOLIGSPOR_MUNICIPALITY", str(TESTVIK))
    testvik = municipality_of(load_settings())
    assert (testvik.name, testvik.number) == ("Testvik", "3999")
    assert testvik.district_codes == ("sjosiden", "aasen", "bukta")
    assert testvik.heading == "Testvik kommune – Boligkontoret"
    waiting = testvik.targets[1]
    assert (waiting.base_date, waiting.target_year) == (date(2024, 6, 30), 2028)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = MOSS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"broken-{abs(hash((old, new)))}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('code = "refsnes"', 'code = "ramberg"', "district code 'ramberg' appears more than once"),
        ('area = "Jeløy"', 'area = "Vestre"', "districts[0].area: 'Vestre' is not one of areas"),
        ('number = "3103"', 'number = "Moss"', "number: must be the four digits"),
        (
            'code = "ramberg"',
            'code = "Ramberg kirke"',
            "districts[0].code: 'Ramberg kirke' must be",
        ),
        ('name = "Moss"', 'name = "Moss"\nnavn = "Moss"', "navn: is not a known key"),
        ("base_value = 193", 'base_value = "193"', "plan.targets[0].base_value: must be a number"),
        ("target_year = 2035", "target_year = 2022", "target_year: 2022 must come after"),
        ('figure = "waiting_list.total"', 'figure = "Venteliste"', "must be a dotted path"),
        (
            'figure = "dwellings.total_municipal"',
            'figure = "waiting_list.total"',
            "figure 'waiting_list.total' appears more than once",
        ),
        ('"Søndre"]', '"Søndre", "Vestre"]', "areas: Vestre has no district"),
    ],
)
def test_a_broken_file_is_refused_with_a_message_naming_the_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(MunicipalityConfigError) as refused:
        load_municipality(path)
    assert message in str(refused.value)
    assert str(path) in str(refused.value)


def test_a_missing_or_non_toml_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MunicipalityConfigError, match="does not exist"):
        load_municipality(tmp_path / "nowhere.toml")
    garbled = tmp_path / "garbled.toml"
    garbled.write_text("name = Moss", encoding="utf-8")
    with pytest.raises(MunicipalityConfigError, match="is not TOML"):
        load_municipality(garbled)


def test_the_bundled_file_is_package_data() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert "*.toml" in pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert (MOSS_FILE.parent / "__init__.py").is_file()
