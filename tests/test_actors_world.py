"""Tests for coding any country's actors as ACLED does: regime periods, generic nouns, world groups.

Every sentence here is invented for the test.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml

from khabar import nlp
from khabar.actors import Registry, resolve_actors
from khabar.actors.coding import load_coding
from khabar.pipeline import Pipeline
from khabar.records import ActorMention, Analysis, Document


@pytest.fixture(scope="module")
def registry(pipeline: Pipeline) -> Registry:
    return pipeline.registry


@pytest.fixture(scope="module")
def model(pipeline: Pipeline) -> nlp.Language:
    return pipeline.model


def _resolve(text: str, registry: Registry, model: nlp.Language, day: date = date(2021, 6, 1)) -> Analysis:
    document = Document(doc_id="w", text=text, published=day)
    return resolve_actors(nlp.parse(Analysis(document), model), registry)


def _at(analysis: Analysis, surface: str) -> list[ActorMention]:
    start = analysis.document.text.index(surface)
    end = start + len(surface)
    return [m for m in analysis.actors if m.evidence.start < end and start < m.evidence.end]


# --- regime periods (countries.yaml) -------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_id", "day", "acled"),
    [
        ("military:UKR", date(2020, 5, 9), "Military Forces of Ukraine (2019-)"),
        ("military:UKR", date(2017, 1, 1), "Military Forces of Ukraine (2014-)"),
        ("police:IND", date(2020, 5, 9), "Police Forces of India (2014-)"),
        ("military:MEX", date(2020, 5, 9), "Military Forces of Mexico (2018-)"),
        ("military:MEX", date(2024, 11, 1), "Military Forces of Mexico (2024-)"),
        ("military:NGA", date(2020, 5, 9), "Military Forces of Nigeria (2015-)"),
        ("police:KEN", date(2010, 3, 1), "Police Forces of Kenya (2002-)"),
        ("military:MMR", date(2019, 3, 1), "Military Forces of Myanmar (2016-)"),
        ("military:MMR", date(2021, 3, 1), "Military Forces of Myanmar (2021-)"),
        ("police:MLI", date(2020, 5, 1), "Police Forces of Mali (2013-)"),  # the August 2020 coup comes later
        ("police:MLI", date(2020, 9, 1), "Police Forces of Mali (2020-)"),
        ("government:BGD", date(2023, 1, 1), "Government of Bangladesh (2009-)"),
        ("government:BGD", date(2024, 9, 1), "Government of Bangladesh (2024-)"),
    ],
)
def test_state_forces_carry_the_year_of_the_regime_in_force(
    registry: Registry, actor_id: str, day: date, acled: str
) -> None:
    assert registry.acled_name(actor_id, day) == acled


def test_some_countries_take_an_article_after_of_but_not_in_brackets(registry: Registry) -> None:
    assert registry.acled_name("military:USA", date(2022, 1, 1)) == "Military Forces of the United States (2021-)"
    assert registry.acled_name("protesters:USA", None) == "Protesters (United States)"
    assert registry.acled_name("police:PHL", date(2023, 1, 1)) == "Police Forces of the Philippines (2022-)"


def test_every_year_tagged_country_has_dated_phases(registry: Registry) -> None:
    dated = [a for a in registry.all() if a.actor_id.startswith("military:") and a.phases]
    assert len(dated) >= 120
    for actor in dated:
        starts = [p.start for p in actor.phases if p.start is not None]
        assert starts == sorted(starts), actor.actor_id


# --- the generic roles (coding.yaml) -------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_id", "acled", "inter"),
    [
        ("communal_militia:NGA", "Unidentified Communal Militia (Nigeria)", 4),
        ("clan_militia:SOM", "Unidentified Clan Militia (Somalia)", 4),
        ("labor:BGD", "Labor Group (Bangladesh)", 7),
        ("students:KEN", "Students (Kenya)", 7),
        ("prisoners:VEN", "Prisoners (Venezuela)", 7),
        ("gang:MEX", "Unidentified Gang (Mexico)", 3),
    ],
)
def test_generic_roles_exist_for_every_country(registry: Registry, actor_id: str, acled: str, inter: int) -> None:
    actor = registry.get(actor_id)
    assert actor is not None and actor.inter == inter
    assert registry.acled_name(actor_id, date(2021, 1, 1)) == acled


def test_an_article_placeholder_is_a_valid_role_pattern() -> None:
    military = load_coding().role("military")
    assert military is not None
    assert military.acled_name("Gambia", " (2017-)", "the") == "Military Forces of the Gambia (2017-)"


# --- generic nouns, in the country of the story --------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("In Dhaka, Bangladesh, garment workers walked out over unpaid wages.", "workers", "labor:BGD"),
        ("Kenyan police said students burnt a dormitory at a school in Kisii.", "students", "students:KEN"),
        ("Inmates rioted at a jail near Caracas, Venezuela, on Monday.", "Inmates", "prisoners:VEN"),
        ("A mob torched a police post in Punjab, Pakistan, after a quarrel.", "mob", "rioters:PAK"),
        ("Herdsmen killed four people in Benue state, Nigeria, on Friday.", "Herdsmen", "communal_militia:NGA"),
        ("Clan militias fought over a well near Galkayo, Somalia.", "Clan militias", "clan_militia:SOM"),
        ("Villagers fled after unknown gunmen raided Gao, Mali.", "unknown gunmen", "unidentified:MLI"),
    ],
)
def test_generic_nouns_are_the_roles_of_the_story_country(
    registry: Registry, model: nlp.Language, text: str, surface: str, expected: str
) -> None:
    assert expected in {m.actor_id for m in _at(_resolve(text, registry, model), surface)}


def test_a_force_of_a_named_country(registry: Registry, model: nlp.Language) -> None:
    text = "The military forces of Armenia fired at the police forces of Georgia overnight."
    analysis = _resolve(text, registry, model)
    assert {m.actor_id for m in _at(analysis, "military forces of Armenia")} == {"military:ARM"}
    assert {m.actor_id for m in _at(analysis, "police forces of Georgia")} == {"police:GEO"}


# --- world groups (world_groups.yaml, ethnic_militias.yaml) --------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "acled"),
    [
        ("Fighters of the RSF shelled a market in Omdurman, Sudan.", "RSF",
         "Military Forces of Sudan (2019-) Rapid Support Forces"),
        ("M23 rebels seized a hill north of Goma in the DRC.", "M23", "M23: March 23 Movement"),
        ("The Arakan Army overran a junta outpost in Rakhine, Myanmar.", "Arakan Army",
         "ULA/AA: United League of Arakan/Arakan Army"),
        ("JNIM militants ambushed a convoy near Djibo, Burkina Faso.", "JNIM",
         "JNIM: Group for Support of Islam and Muslims"),
        ("The CJNG blocked roads in Jalisco, Mexico.", "CJNG", "CJNG: Jalisco New Generation Cartel"),
        ("ELN guerrillas bombed a pipeline in Arauca, Colombia.", "ELN", "ELN: National Liberation Army"),
        ("The SDF arrested ten men in Raqqa, Syria.", "SDF", "QSD: Syrian Democratic Forces"),
    ],
)
def test_world_groups_carry_their_acled_names(
    registry: Registry, model: nlp.Language, text: str, surface: str, acled: str
) -> None:
    mentions = _at(_resolve(text, registry, model), surface)
    assert acled in {registry.acled_name(m.actor_id, date(2021, 6, 1)) for m in mentions}


def test_a_shared_ethnic_name_follows_the_story_country(registry: Registry, model: nlp.Language) -> None:
    text = "Fulani militiamen attacked farmers near Makurdi, Nigeria, said the Nigerian army."
    nigeria = _resolve(text, registry, model)
    mali = _resolve("Fulani militiamen attacked a village in Mopti, Mali, said the Malian army.", registry, model)
    assert {m.actor_id for m in _at(nigeria, "Fulani militiamen")} == {"fulani-ethnic-militia-nigeria"}
    assert {m.actor_id for m in _at(mali, "Fulani militiamen")} == {"fulani-ethnic-militia-mali"}


def test_a_force_noun_picks_the_armed_one_of_a_shared_name(registry: Registry, model: nlp.Language) -> None:
    # "RSF" is a Sudanese paramilitary and a press-freedom group: soldiers belong to the first
    soldiers = _resolve("On 15 July 2020, RSF soldiers beat and detained farmers in Nyala.", registry, model)
    press = _resolve("RSF condemned the arrest of two reporters in Nyala.", registry, model)
    assert {m.actor_id for m in soldiers.actors} == {"rapid-support-forces"}
    assert {m.actor_id for m in press.actors} == {"rsf"}


def test_dated_roles_of_world_groups(registry: Registry) -> None:
    assert registry.acled_name("houthis", date(2015, 1, 1)) == "Houthi Movement"
    supreme_council = "Military Forces of Yemen (2016-) Supreme Political Council"
    assert registry.acled_name("houthis", date(2020, 1, 1)) == supreme_council
    assert registry.acled_name("naf", date(2020, 1, 1)) == "NAF: United Armed Forces of Novorossiya"
    assert registry.acled_name("rapid-support-forces", date(2020, 1, 1)).startswith("Military Forces of Sudan (2019-)")
    assert registry.acled_name("rapid-support-forces", date(2023, 6, 1)) == "RSF: Rapid Support Forces"
    assert registry.acled_name("islamic-state-sahel-province", date(2020, 6, 1)).endswith("Greater Sahara Faction")
    assert registry.acled_name("operation-restoring-hope", date(2019, 6, 1)) == "Operation Restoring Hope"


def test_saudi_forces_in_yemen_are_the_coalition(registry: Registry, model: nlp.Language) -> None:
    text = "Saudi warplanes struck a Houthi camp in Saada, Yemen, the Houthis said."
    assert {m.actor_id for m in _at(_resolve(text, registry, model), "Saudi warplanes")} == {"operation-restoring-hope"}


def test_lexicon_roles_must_be_generated_roles(registry: Registry) -> None:
    roles = {r.role for r in registry.coding.roles}
    assert set(registry.lexicon.bare_nouns.values()) <= roles
    assert set(registry.lexicon.force_nouns.values()) <= roles | {"self"}


def test_no_country_claims_a_bare_noun_every_country_shares_as_its_own_alias() -> None:
    """ "government forces" is whichever country's the story is about, never one country's name."""
    data = resources.files("khabar").joinpath("data", "actors")
    nouns = yaml.safe_load(data.joinpath("lexicon.yaml").read_text())["bare_nouns"]
    bare = {" ".join(k.lower().split()) for k in nouns}
    countries = yaml.safe_load(data.joinpath("countries.yaml").read_text())
    claimed = {(code, alias) for code, row in countries.items() if isinstance(row, dict)
               for aliases in (row.get("role_aliases") or {}).values() for alias in aliases
               if " ".join(alias.lower().split()) in bare}
    assert claimed == set()
