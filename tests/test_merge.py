from dataclasses import replace
from datetime import date

from khabar.merge import combine_tolls, compare, merge_events, same_incident
from khabar.merge.rules import type_family
from khabar.places import km_between
from khabar.records import Event, Evidence, Place, PlaceMention, TimeSpan, Toll

KABUL = Place("kabul", "Kabul", 34.53, 69.17, "AF", "Kabul", feature="city")
KABUL_AIRPORT = Place("hkia", "Kabul airport", 34.565, 69.212, "AF", "Kabul", feature="landmark")
KANDAHAR = Place("kandahar", "Kandahar", 31.61, 65.71, "AF", "Kandahar", feature="city")
# an invented county and its towns, with the state around them
STATE = Place("st", "Lakeshire", 40.0, -90.0, "US", "Lakeshire", feature="admin1")
COUNTY = Place("co", "Elm County", 40.2, -90.1, "US", "Lakeshire", "Elm County", feature="admin2")
TOWN = Place("tw", "Millbrook", 40.25, -90.05, "US", "Lakeshire", "Elm County", feature="city")
FAR_TOWN = Place("ft", "Stonebridge", 42.5, -88.0, "US", "Lakeshire", "Ash County", feature="city")
NEAR_TOWN = Place("nt", "Ashford", 40.45, -90.2, "US", "Lakeshire", "Elm County", feature="city")
OTHER_STATE_TOWN = Place("ot", "Riverton", 35.0, -80.0, "US", "Northmarch", "Oak County", feature="city")


def _event(doc: str, place: Place | None = KABUL, day: int | None = 26, actor1: str = "iskp",
           killed: int | None = None, event_type: str = "Explosions/Remote violence", status: str = "occurred",
           flags: tuple[str, ...] = ()) -> Event:
    evidence = Evidence(doc, 0, 0, 5, "blast")
    return Event(
        f"{doc}-e", doc, "violence", event_type, "Suicide bomb", actor1=actor1,
        place=PlaceMention(evidence, place.name, place) if place else None,
        time=TimeSpan(date(2021, 8, day), date(2021, 8, day), flags=flags) if day else None,
        fatalities=Toll(killed, killed, killed, (evidence,)) if killed is not None else None,
        status=status, evidence=(evidence,),
    )


def _shooting(doc: str, place: Place | None, day: int | None = 14, killed: int | None = None,
              event_type: str = "Violence against civilians", flags: tuple[str, ...] = (),
              actor1: str = "unidentified:USA") -> Event:
    return replace(_event(doc, place, day, actor1, killed, event_type, flags=flags), sub_event_type="Attack")


def test_reports_of_one_bombing_from_three_documents_become_one_incident() -> None:
    published_later = _event("c", day=28, killed=183, flags=("from_publication",))
    incidents = merge_events([_event("a", killed=60), _event("b", KABUL_AIRPORT, 27, killed=79), published_later])
    assert len(incidents) == 1
    incident = incidents[0]
    assert len(incident.sources) == 3
    assert incident.fatalities is not None
    assert (incident.fatalities.low, incident.fatalities.best, incident.fatalities.high) == (60, 79, 183)
    assert "fatalities differ: 60 (a), 79 (b), 183 (c)" in incident.disagreements
    assert "places differ: Kabul (a), Kabul airport (b), Kabul (c)" in incident.disagreements
    # the finest place and the date most sources give
    assert incident.event.place is not None and incident.event.place.place == KABUL_AIRPORT


def test_different_places_types_or_dates_stay_apart() -> None:
    assert not same_incident(_event("a"), _event("b", KANDAHAR))
    assert not same_incident(_event("a"), _event("b", event_type="Protests"))
    assert not same_incident(_event("a", day=1), _event("b", day=20))
    assert len(merge_events([_event("a"), _event("b", KANDAHAR)])) == 2


def test_reasons_are_plain_words() -> None:
    verdict = compare(_event("a", day=1), _event("b", KANDAHAR, day=20))
    assert not verdict.same
    assert verdict.reasons == ("place differs: Kabul and Kandahar are 458 km apart",
                               "date differs: 2021-08-01 and 2021-08-20")
    verdict = compare(_event("a"), _event("b", KABUL_AIRPORT, 27))
    assert verdict.same
    assert verdict.reasons == ("same type", "Kabul and Kabul airport are 5 km apart",
                               "dates within a day: 2021-08-26 and 2021-08-27", "same actors: iskp")


def test_events_of_one_document_are_never_merged_here() -> None:
    assert len(merge_events([_event("a"), _event("a")])) == 2


def test_aggregates_and_threats_are_not_merged_with_incidents() -> None:
    assert not same_incident(_event("a", status="aggregate"), _event("b"))
    assert not same_incident(_event("a", status="planned"), _event("b"))


def test_a_report_cannot_tell_an_incident_dated_after_its_publication() -> None:
    published_before = _event("b", day=20, flags=("from_publication",))
    verdict = compare(_event("a"), published_before)
    assert not verdict.same
    assert verdict.reasons == ("date differs: 2021-08-26 is after a report published 2021-08-20",)


def test_a_day_that_only_dates_a_report_bounds_the_act_from_above() -> None:
    # "the sheriff said Monday", "was charged Monday in the bombing": the act happened by that day
    told_later = _event("b", day=28, flags=("reported",))
    verdict = compare(_event("a"), told_later)
    assert verdict.same and "date differs" not in " ".join(verdict.reasons)
    assert any("a report's day after the act's" in r for r in verdict.reasons)
    # a report's day before the act's, or more than a week after it, disagrees
    for day in (20, 31):
        verdict = compare(_event("a", day=23), _event("b", day=day, flags=("reported",)))
        assert not verdict.same and verdict.reasons[0].startswith("date differs")
    # and on the act's own day it agrees as any day would
    assert "same date" in compare(_event("a"), _event("b", flags=("reported",))).reasons


def test_an_event_without_its_own_date_needs_strong_agreement_and_close_publication() -> None:
    # same town, same perpetrator, published two days later: one incident
    assert same_incident(_event("a"), _event("b", day=28, flags=("from_publication",)))
    # published a week later: too far to tell without a date of its own
    verdict = compare(_event("a"), _event("b", day=31, flags=("from_publication",)))
    assert not verdict.same and "published 5 days apart" in verdict.reasons
    # the same town alone is not enough
    assert not same_incident(_event("a", actor1=""), _event("b", day=27, actor1="", flags=("from_publication",)))
    # the same town and toll are
    assert same_incident(_event("a", actor1="", killed=3),
                         _event("b", day=27, actor1="", killed=3, flags=("from_publication",)))
    # with no date at all, not even a publication date, nothing merges
    assert not same_incident(_event("a"), _event("b", day=None))


def test_conflicting_perpetrators_block_unless_unidentified_or_unknown_to_the_registry() -> None:
    assert not same_incident(_event("a"), _event("b", actor1="taliban"))
    assert same_incident(_event("a"), _event("b", actor1="unidentified:AFG"))
    # a person the registry does not know is as often a victim misread as the attacker
    assert same_incident(_event("a", actor1="provisional:jo-bloggs"), _event("b", actor1="provisional:sam-smith"))


def test_a_named_group_stands_in_for_an_unknown_place_but_a_country_s_forces_do_not() -> None:
    # one report places the attack, the other does not: the same named group on the same day joins them
    assert same_incident(_event("a"), _event("b", place=None))
    # "police:USA" or "military:AFG" is party to many incidents of a day: no stand-in for the place
    for forces in ("police:USA", "military:AFG"):
        assert not same_incident(_event("a", actor1=forces), _event("b", place=None, actor1=forces))
        assert same_incident(_event("a", actor1=forces), _event("b", actor1=forces))  # the place still agrees


def test_a_state_holding_a_town_neither_agrees_nor_blocks() -> None:
    town, state = _shooting("a", TOWN, killed=1), _shooting("b", STATE, killed=1)
    verdict = compare(town, state)
    assert verdict.same  # the day and the toll agree besides the state
    assert "Millbrook lies in Lakeshire" in verdict.reasons
    assert not same_incident(_shooting("a", TOWN), _shooting("b", STATE))  # the day alone is not enough
    assert not same_incident(_shooting("a", OTHER_STATE_TOWN, killed=1), _shooting("b", STATE, killed=1))


def test_a_town_and_its_county_agree_but_far_towns_do_not() -> None:
    verdict = compare(_shooting("a", TOWN), _shooting("b", COUNTY, day=15))
    assert verdict.same and "Millbrook lies in Elm County" in verdict.reasons
    assert not same_incident(_shooting("a", TOWN), _shooting("b", FAR_TOWN))


def test_neighbouring_towns_a_day_apart_need_more_than_the_day() -> None:
    assert km_between(TOWN.lat, TOWN.lon, NEAR_TOWN.lat, NEAR_TOWN.lon) < 50
    assert same_incident(_shooting("a", TOWN, day=14), _shooting("b", NEAR_TOWN, day=14))
    assert not same_incident(_shooting("a", TOWN, day=14), _shooting("b", NEAR_TOWN, day=15))
    assert same_incident(_shooting("a", TOWN, day=14), _shooting("b", TOWN, day=15))


def test_types_of_one_family_may_differ_but_are_noted() -> None:
    clash = _shooting("b", TOWN, event_type="Battles")
    verdict = compare(_shooting("a", TOWN), clash)
    assert verdict.same
    assert "types differ within political violence: Violence against civilians and Battles" in verdict.reasons
    assert type_family(clash) == "political violence"
    riot = _shooting("c", TOWN, event_type="Riots")
    assert type_family(riot) == "violence/Riots"
    assert not same_incident(_shooting("a", TOWN), riot)


def test_combine_tolls_keeps_the_range_and_its_evidence() -> None:
    ev = Evidence("d", 0, 0, 1, "x")
    toll = combine_tolls([Toll(12, None, None, (ev,)), Toll(20, 25, 30, (ev,)), None])
    assert toll is not None
    assert (toll.low, toll.best, toll.high) == (12, 18, 30)
    assert len(toll.evidence) == 2
    assert combine_tolls([None, None]) is None


def test_distance() -> None:
    assert km_between(34.53, 69.17, 34.53, 69.17) == 0
    assert 450 < km_between(KABUL.lat, KABUL.lon, KANDAHAR.lat, KANDAHAR.lon) < 500


def test_a_date_from_a_sentence_with_several_events_does_not_block_a_merge() -> None:
    crowded = [replace(_event("a", day=24), event_id="a1"),
               replace(_event("a", KANDAHAR, day=24), event_id="a2")]
    incidents = merge_events([*crowded, _event("b", day=26)])
    assert sorted(len(i.sources) for i in incidents) == [1, 2]
    merged = next(i for i in incidents if len(i.sources) == 2)
    assert merged.event.time is not None and merged.event.time.start.day == 26


def test_same_type_and_city_without_a_date_or_perpetrator_in_common_stay_apart() -> None:
    undated = _event("b", day=5, actor1="", flags=("from_publication",))
    assert not same_incident(_event("a"), undated)


def test_the_incident_takes_the_date_most_sources_give() -> None:
    incidents = merge_events([_shooting("a", TOWN, 14), _shooting("b", TOWN, 15), _shooting("c", TOWN, 15)])
    [incident] = incidents
    assert incident.event.time is not None and incident.event.time.start == date(2021, 8, 15)
    assert "dates differ: 2021-08-14 (a), 2021-08-15 (b), 2021-08-15 (c)" in incident.disagreements


def test_weakly_dated_sources_give_the_incident_the_narrower_date_they_agree_on() -> None:
    month = replace(_event("a", flags=("shared_sentence",)), confidence=0.9)
    month = replace(month, time=TimeSpan(date(2021, 8, 1), date(2021, 8, 31), precision="month",
                                         flags=("shared_sentence",)))
    day = replace(_event("b", day=26, flags=("shared_sentence",)), confidence=0.5)
    [incident] = merge_events([month, day])
    assert incident.event.time is not None
    assert (incident.event.time.start, incident.event.time.end) == (date(2021, 8, 26), date(2021, 8, 26))
    elsewhere = replace(day, event_id="c-e", doc_id="c", time=TimeSpan(date(2021, 9, 2), date(2021, 9, 2)))
    [alone] = merge_events([elsewhere])
    assert alone.event.time == elsewhere.time


def test_people_both_reports_name_support_a_merge_but_never_alone() -> None:
    victim = ("provisional:jo-ellen-marsh",)
    coarse = TimeSpan(date(2021, 8, 1), date(2021, 8, 31), precision="month")
    a = replace(_shooting("a", TOWN), associated=victim)
    b = replace(_shooting("b", TOWN), associated=victim, time=coarse)
    verdict = compare(a, b)
    assert verdict.same and "same people named: provisional:jo-ellen-marsh" in verdict.reasons
    # the same name in another town on another day is a spokesman's, not one incident
    elsewhere = replace(_shooting("c", FAR_TOWN, day=20), associated=victim)
    assert not same_incident(a, elsewhere)
    assert not same_incident(replace(a, place=None), replace(b, place=None))


def test_a_party_both_reports_name_stands_in_for_a_missing_place() -> None:
    victim = "provisional:orla-vantreece"
    # one report names the town and the victim as a party; the other names the victim but no place
    placed = replace(_shooting("a", TOWN), actor2=victim)
    unplaced = replace(_shooting("b", None, day=15), associated=(victim,))
    verdict = compare(placed, unplaced)
    assert verdict.same and f"same people named: {victim}" in verdict.reasons
    # a later report dated only to the month joins on the party too
    month = TimeSpan(date(2021, 8, 1), date(2021, 8, 31), precision="month")
    assert same_incident(placed, replace(unplaced, time=month))
    # but not when the person is only mentioned by both (a spokesman, a witness)
    mentioned = replace(placed, actor2="civilians:USA", associated=(victim,))
    assert not same_incident(mentioned, replace(unplaced, time=month))


def test_a_name_only_mentioned_by_both_reports_does_not_stand_in_for_a_place() -> None:
    spokesman = ("provisional:cass-merriday",)
    placed = replace(_shooting("a", TOWN), associated=spokesman)
    unplaced = replace(_shooting("b", None), associated=spokesman)
    verdict = compare(placed, unplaced)
    assert not verdict.same and "too little agrees" in verdict.reasons
    # nor does a party outweigh a place and a date that both differ
    victim = "provisional:orla-vantreece"
    assert not same_incident(replace(_shooting("a", TOWN), actor2=victim),
                             replace(_shooting("b", OTHER_STATE_TOWN, day=20), associated=(victim,)))


def test_a_party_both_reports_name_outweighs_one_wrong_place_or_date() -> None:
    victim = "provisional:orla-vantreece"
    first = replace(_shooting("a", TOWN, day=3), actor2=victim)
    # a follow-up naming the victim, read in another state (a neighbourhood taken for a far town)
    elsewhere = replace(_shooting("b", OTHER_STATE_TOWN, day=3), associated=(victim,))
    verdict = compare(first, elsewhere)
    assert verdict.same and f"the same party named by both: {victim}" in verdict.reasons
    assert any(r.startswith("place differs") for r in verdict.reasons)  # the disagreement stays on record
    # a follow-up dated by a later day at the same town, up to two weeks on
    later = replace(_shooting("c", TOWN, day=15), associated=(victim,))
    assert same_incident(first, later)
    assert not same_incident(first, replace(later, time=TimeSpan(date(2021, 8, 20), date(2021, 8, 20))))
    # registry perpetrators that differ still keep reports apart
    assert not same_incident(replace(first, actor1="iskp"), replace(later, actor1="taliban"))
    # other kinds of events are not joined by a name: a politician protested against in two cities
    protest = replace(first, event_type="Protests", sub_event_type="Peaceful protest")
    assert not same_incident(protest, replace(elsewhere, event_type="Protests", sub_event_type="Peaceful protest"))
    # the candidate index pairs such reports however far apart their places are
    assert len(merge_events([first, elsewhere])) == 1


def test_a_weak_day_inside_a_reports_month_dates_the_incident() -> None:
    # one report dates the incident to its month; another names the day in a sentence it shares with others
    month = replace(_event("a", day=None), time=TimeSpan(date(2021, 8, 1), date(2021, 8, 31), precision="month"))
    day = _event("b", day=31, flags=("shared_sentence",))
    [incident] = merge_events([month, day])
    assert incident.event.time is not None and incident.event.time.start == date(2021, 8, 31)


# one invented town name read in two states far apart, as a wrong reading of one report would give
HOMONYM_A = Place("ha", "Maple Falls", 40.3, -90.2, "US", "Lakeshire", "Elm County", feature="city")
HOMONYM_B = Place("hb", "Maple Falls", 33.0, -97.0, "US", "Northmarch", "Oak County", feature="city")


def test_one_name_read_in_two_states_merges_only_on_the_day_and_the_toll() -> None:
    verdict = compare(_shooting("a", HOMONYM_A, killed=1), _shooting("b", HOMONYM_B, killed=1))
    assert verdict.same
    assert any("read as two places of that name" in r for r in verdict.reasons)
    assert not same_incident(_shooting("a", HOMONYM_A), _shooting("b", HOMONYM_B))  # the day alone is not enough
    assert not same_incident(_shooting("a", HOMONYM_A, killed=1), _shooting("b", HOMONYM_B, day=20, killed=1))
    # two different names far apart still block, whatever else agrees
    assert not same_incident(_shooting("a", TOWN, killed=1), _shooting("b", OTHER_STATE_TOWN, killed=1))


def test_a_homonym_is_only_a_name_both_reports_write() -> None:
    a = _shooting("a", HOMONYM_A, killed=1)
    b = _shooting("b", HOMONYM_B, killed=1)
    assert b.place is not None
    # the second report wrote a street the resolver placed in a town of that name: no homonym
    street = replace(b, place=replace(b.place, surface="Cedar Avenue"))
    assert not same_incident(a, street)


def test_homonym_readings_far_apart_are_compared_and_merged() -> None:
    incidents = merge_events([_shooting("a", HOMONYM_A, killed=1), _shooting("b", HOMONYM_B, killed=1)])
    assert len(incidents) == 1


def test_the_incident_takes_the_reading_in_the_state_most_sources_name() -> None:
    # a third report reads the name as another entry of the gazetteer in the same state as the second
    twin = Place("hc", "Maple Falls", 33.02, -97.03, "US", "Northmarch", "Oak County", feature="city")
    incidents = merge_events([_shooting("a", HOMONYM_A, killed=1), _shooting("b", HOMONYM_B, killed=1),
                              _shooting("c", twin, killed=1)])
    assert len(incidents) == 1
    place = incidents[0].event.place
    assert place is not None and place.place is not None and place.place.admin1 == "Northmarch"


def test_between_two_readings_of_a_name_the_smaller_one_was_read_from_its_context() -> None:
    small = replace(HOMONYM_A, population=900)
    large = replace(HOMONYM_B, population=250_000)
    for first, second in ((small, large), (large, small)):
        incidents = merge_events([_shooting("a", first, killed=1), _shooting("b", second, killed=1)])
        place = incidents[0].event.place
        assert len(incidents) == 1 and place is not None and place.place == small


def test_the_same_age_given_by_an_undated_report_at_the_same_town_joins_it() -> None:
    dated = replace(_shooting("a", TOWN), ages=(4, 31))
    undated = replace(_shooting("b", TOWN, day=15, flags=("from_publication",)), ages=(4,))
    verdict = compare(dated, undated)
    assert verdict.same and "same ages given: 4" in verdict.reasons
    # another age is another child: nothing else agrees
    assert not same_incident(dated, replace(undated, ages=(9,)))
    # the same age with only the state in common is not enough
    assert not same_incident(dated, replace(undated, place=replace(undated.place, place=STATE)))


def test_ages_do_not_join_reports_with_dates_of_their_own() -> None:
    # two children of one age shot a day apart in neighbouring towns: two incidents
    one = replace(_shooting("a", TOWN, day=14, killed=1), ages=(2,))
    other = replace(_shooting("b", NEAR_TOWN, day=15, killed=1), ages=(2, 6))
    assert not same_incident(one, other)
