"""Tests for the actor registry: loading, validation, generated country actors and dated coding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

from khabar.actors import Registry, load_registry
from khabar.errors import DataError
from khabar.pipeline import Pipeline


@pytest.fixture(scope="module")
def registry(pipeline: Pipeline) -> Registry:
    return pipeline.registry


def _user_file(tmp_path: Path, *entries: object) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"actors": list(entries)}))
    return path


# --- generated country actors (countries.py, coding.yaml) ----------------------------------


def test_every_country_has_every_generated_role(registry: Registry) -> None:
    roles = [template.role for template in registry.coding.roles]
    assert roles[:6] == ["state", "government", "military", "police", "civilians", "unidentified"]
    for country in pycountry.countries:
        for role in roles:
            assert registry.get(f"{role}:{country.alpha_3}") is not None


def test_crowds_are_coded_by_country(registry: Registry) -> None:
    assert registry.acled_name("protesters:NGA", date(2016, 7, 1)) == "Protesters (Nigeria)"
    assert registry.acled_name("rioters:ZAF", date(2016, 7, 1)) == "Rioters (South Africa)"


def test_generated_roles_carry_their_inter_code_and_sector(registry: Registry) -> None:
    military = registry.get("military:NGA")
    assert military is not None
    assert (military.type, military.inter, military.plover_sector) == ("state_forces", 1, "MIL")
    civilians = registry.get("civilians:SDN")
    assert civilians is not None and (civilians.name, civilians.inter) == ("Civilians of Sudan", 7)


@pytest.mark.parametrize(
    ("actor_id", "day", "type_", "acled"),
    [
        ("taliban", date(2019, 6, 1), "armed_group", "Taliban"),
        ("taliban", date(2021, 8, 14), "armed_group", "Taliban"),
        ("taliban", date(2021, 8, 15), "state_forces", "Military Forces of Afghanistan (2021-)"),
        ("military:AFG", date(2019, 6, 1), "state_forces", "Military Forces of Afghanistan (2014-)"),
        ("police:AFG", date(2019, 6, 1), "state_forces", "Police Forces of Afghanistan (2014-)"),
        ("military:AFG", date(2022, 6, 1), "state_forces", "Military Forces of Afghanistan (2021-)"),
        ("civilians:AFG", date(2019, 6, 1), "civilians", "Civilians (Afghanistan)"),
        ("unidentified:AFG", None, "unidentified", "Unidentified Armed Group (Afghanistan)"),
        ("islamic-state-khorasan-province", date(2019, 6, 1), "armed_group", "Islamic State (Afghanistan)"),
        ("military:NGA", date(2016, 7, 1), "state_forces", "Military Forces of Nigeria (2015-)"),
        ("civilians:SDN", date(2016, 7, 1), "civilians", "Civilians (Sudan)"),
    ],
)
def test_phases_are_resolved_at_the_date(
    registry: Registry, actor_id: str, day: date | None, type_: str, acled: str
) -> None:
    assert registry.phase_at(actor_id, day).type == type_
    assert registry.acled_name(actor_id, day) == acled


def test_boko_haram_is_coded_as_the_west_africa_province_while_pledged(registry: Registry) -> None:
    assert registry.acled_name("boko-haram", date(2016, 6, 1)) == "Boko Haram - Wilayat Gharb Ifriqiyyah"
    assert registry.acled_name("boko-haram", date(2014, 6, 1)).startswith("Boko Haram - Jamaatu")


def test_unknown_and_provisional_ids_get_a_default_phase(registry: Registry) -> None:
    assert registry.phase_at("provisional:gul-rahim", None).type == "person"
    assert registry.phase_at("no-such-actor", None).type == "unidentified"


# --- persons and their ties ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "day", "organisation", "title"),
    [
        ("amir-khan-muttaqi", date(2022, 1, 1), "taliban", "acting foreign minister"),
        ("ashraf-ghani", date(2019, 1, 1), "government:AFG", "president"),
        ("sergei-lavrov", date(2022, 1, 1), "government:RUS", "foreign minister"),
    ],
)
def test_offices_are_date_bounded(registry: Registry, person: str, day: date, organisation: str, title: str) -> None:
    tie = registry.affiliation_at(person, day)
    assert tie is not None and (tie.actor_id, tie.title) == (organisation, title)


def test_an_office_ends_with_the_term(registry: Registry) -> None:
    assert registry.affiliation_at("ashraf-ghani", date(2022, 1, 1)) is None


def test_a_person_is_coded_by_their_organisation(registry: Registry) -> None:
    assert registry.acled_name("ashraf-ghani", date(2019, 1, 1)) == "Government of Afghanistan (2014-)"


def test_country_of_gives_alpha2(registry: Registry) -> None:
    assert registry.country_of("military:PAK") == "PK"
    assert registry.country_of("taliban") == "AF"
    assert registry.country_of("united-nations") == ""


# --- validation of a user's registry file --------------------------------------------------


def test_user_file_with_bad_type_names_file_and_entry(tmp_path: Path) -> None:
    path = _user_file(tmp_path, {"name": "Some Front", "type": "gang"})
    with pytest.raises(DataError, match=r"mine\.yaml entry 1 \(Some Front\): type 'gang'"):
        load_registry(path)


def test_user_file_with_unknown_affiliation_is_rejected(tmp_path: Path) -> None:
    path = _user_file(tmp_path, {"name": "Some Front", "type": "armed_group", "affiliations": [{"actor": "no-such"}]})
    with pytest.raises(DataError, match="no-such"):
        load_registry(path)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "Some Front", "type": "militia", "aliases": [["SF"]]}, r"actors\[0\]\.aliases\[0\]: expected str"),
        ({"name": "Some Front", "type": "militia", "alias": ["SF"]}, r"actors\[0\]\.alias: unknown key"),
        ({"name": "Some Front", "type": "militia", "inter": 9}, r"inter must be an ACLED code 1-8"),
        ({"name": "Some Front", "type": "militia", "affiliations": [{"relation": "member"}]},
         r"actors\[0\]\.affiliations\[0\]\.actor: missing"),
        ({"name": "Some Front", "type": "militia", "phases": [{"type": "gang"}]}, r"each phase needs a valid 'type'"),
        ({"name": "Some Front", "type": "militia", "phases": [{"type": "militia", "from": "May 2020"}]},
         r"bad date 'May 2020'"),
    ],
)
def test_user_file_errors_name_the_file_and_the_key(tmp_path: Path, entry: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=r"mine\.yaml") as caught:
        load_registry(_user_file(tmp_path, entry))
    assert caught.match(message)


def test_user_file_overrides_a_packaged_entry_by_id(tmp_path: Path) -> None:
    loaded = load_registry(_user_file(tmp_path, {"name": "Taliban Movement", "id": "taliban", "type": "militia"}))
    taliban = loaded.get("taliban")
    assert taliban is not None and (taliban.name, taliban.type) == ("Taliban Movement", "militia")
