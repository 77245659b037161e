"""The catalogue of Annexe 1 as every database holds it: 76 entries as printed, in order, loaded by
a migration and reloaded idempotently by `load_offence_catalogue`."""

from io import StringIO

import pytest
from django.core.management import call_command

from offences.catalogue import load_catalogue, read_catalogue
from offences.models import ANNEXE_1, Category, Offence, Precondition, Rule

pytestmark = pytest.mark.django_db

COMMON_LAW = [
    "Murder",
    "Attempt to commit murder or a conspiracy to commit murder",
    "Manslaughter",
    "Kidnapping",
    "False imprisonment",
]


def test_the_catalogue_holds_the_76_printed_entries_in_order():
    assert list(Offence.objects.values_list("number", flat=True)) == list(range(1, 77))
    assert Offence.objects.filter(category=Category.VIOLENT).count() == 45
    assert Offence.objects.filter(category=Category.SEXUAL).count() == 31
    assert Offence.objects.get(number=1).title == "Murder"
    assert Offence.objects.get(number=46).title == "Rape or assault by penetration"
    assert (
        Offence.objects.get(number=76).title == "Care workers: causing or inciting sexual activity"
    )


def test_every_entry_has_a_valid_category_precondition_and_rule_with_its_source():
    for offence in Offence.objects.all():
        assert offence.category in Category.values, offence
        assert offence.precondition in Precondition.values, offence
        assert offence.rule in Rule.values, offence
        assert offence.rule_source.strip(), offence
        assert offence.source == ANNEXE_1
        assert offence.active


def test_only_the_common_law_entries_have_no_statute():
    assert list(Offence.objects.filter(statute="").values_list("title", flat=True)) == COMMON_LAW
    assert not Offence.objects.filter(title__in=COMMON_LAW).exclude(section="").exists()


def test_rape_is_kept_both_with_assault_by_penetration_and_alone():
    titles = list(Offence.objects.filter(title__startswith="Rape").values_list("title", flat=True))
    assert titles == ["Rape or assault by penetration", "Rape", "Rape of a child under 13"]


def test_the_preconditions_are_those_the_annex_notes():
    assert dict(
        Offence.objects.exclude(precondition=Precondition.NONE).values_list(
            "number", "precondition"
        )
    ) == {
        22: Precondition.FIREARM,
        74: Precondition.PENETRATION,
        75: Precondition.PENETRATION,
        76: Precondition.PENETRATION,
    }


def test_the_automatic_list_is_homicide_deaths_rape_penetration_and_children_under_13():
    automatic = set(Offence.objects.filter(rule=Rule.AUTOMATIC).values_list("number", flat=True))
    homicide_and_deaths = {1, 2, 3, 15, 16, 17, 25, 33, 34}
    rape_and_penetration = {46, 52, 53}
    against_a_child_under_13 = {47, 50, 54, 55, 56, 57}
    assert automatic == homicide_and_deaths | rape_and_penetration | against_a_child_under_13
    marked_under_13 = {48, 58, 59, 60, 61, 62, 67, 68, 69, 70}
    assert (
        set(
            Offence.objects.filter(rule=Rule.AUTOMATIC_IF_VICTIM_UNDER_13).values_list(
                "number", flat=True
            )
        )
        == marked_under_13
    )
    assert Offence.objects.filter(rule=Rule.CONDITIONAL).count() == 76 - 18 - 10


def test_the_aggravated_criminal_damage_nb_is_a_note_not_an_entry():
    damage = Offence.objects.get(number=27)
    assert damage.section == "section 1(2a)"
    assert damage.precondition == Precondition.NONE
    assert "endangerment of life" in damage.notes
    assert not Offence.objects.filter(title__startswith="[NB").exists()


def test_the_database_matches_the_data_file():
    for entry in read_catalogue():
        offence = Offence.objects.get(number=entry["number"])
        for field, value in entry.items():
            assert getattr(offence, field) == value, (entry["number"], field)


def test_loading_again_changes_nothing_and_records_no_history():
    events = Offence.pgh_event_model.objects.count()
    out = StringIO()
    call_command("load_offence_catalogue", stdout=out)
    call_command("load_offence_catalogue", stdout=out)
    assert out.getvalue().count("0 created, 0 updated, 76 unchanged") == 2
    assert Offence.pgh_event_model.objects.count() == events


def test_loading_restores_the_printed_entry_and_a_missing_one():
    Offence.objects.filter(number=4).update(title="Kidnaping", section="section 99")
    Offence.objects.filter(number=76).delete()
    result = load_catalogue()
    assert (result.created, result.updated, result.unchanged) == (1, 1, 74)
    assert Offence.objects.get(number=4).title == "Kidnapping"
    assert Offence.objects.get(number=4).section == ""
    assert Offence.objects.get(number=76).precondition == Precondition.PENETRATION


def test_an_administrators_rule_survives_a_reload_unless_reset():
    Offence.objects.filter(number=6).update(
        rule=Rule.AUTOMATIC, rule_source="Policy change of 2026", active=True
    )
    Offence.objects.filter(number=5).update(active=False)
    call_command("load_offence_catalogue", stdout=StringIO())
    assert Offence.objects.get(number=6).rule == Rule.AUTOMATIC
    assert not Offence.objects.get(number=5).active

    call_command("load_offence_catalogue", "--reset-rules", stdout=StringIO())
    assert Offence.objects.get(number=6).rule == Rule.CONDITIONAL
    assert Offence.objects.get(number=5).active


def test_a_change_of_rule_is_recorded_in_the_history():
    offence = Offence.objects.get(number=4)
    offence.rule = Rule.AUTOMATIC
    offence.save()
    assert offence.events.filter(pgh_label="update", rule=Rule.AUTOMATIC).exists()
