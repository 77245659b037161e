"""Whether a charge starts an SFO review, over every precondition and rule of the annex.

`qualify` is pure, so these tests build the catalogue's entries in memory from the data file."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offences.catalogue import read_catalogue
from offences.models import InchoateForm, Offence, Precondition, RoSH, Rule
from offences.qualification import Outcome, Qualification, qualify, qualify_many

CATALOGUE = [Offence(**entry) for entry in read_catalogue()]
BY_TITLE = {offence.title: offence for offence in CATALOGUE}

ROBBERY = "Robbery or assault with intent to rob"
WITHOUT_CONSENT = "Causing a person to engage in sexual activity without consent"
CARE_WORKERS_38 = "Care workers: sexual activity with a person with a mental disorder"
CARE_WORKERS_39 = "Care workers: causing or inciting sexual activity"
INCEST = (
    "Incest by a man with a woman whom he knows to be his grand-daughter, daughter, sister or "
    "mother"
)
A, C, N = Outcome.AUTOMATIC, Outcome.CONDITIONAL, Outcome.NOT_QUALIFYING


NO_FACTS = {
    "firearm_used": False,
    "penetration": False,
    "victim_under_13": False,
    "highest_rosh": RoSH.LOW,
}


def charge(title, **facts):
    return qualify(BY_TITLE[title], **{**NO_FACTS, **facts})


@pytest.mark.parametrize(
    ("title", "facts", "outcome", "reason"),
    [
        # Precondition: a firearm or imitation firearm.
        (
            ROBBERY,
            {"firearm_used": False, "highest_rosh": RoSH.VERY_HIGH},
            N,
            f"{ROBBERY} qualifies only where a firearm or imitation firearm was used",
        ),
        (
            ROBBERY,
            {"firearm_used": True, "highest_rosh": RoSH.HIGH},
            C,
            "where a firearm or imitation firearm was used qualifies because the person was "
            "assessed as high RoSH",
        ),
        (ROBBERY, {"firearm_used": True, "highest_rosh": RoSH.MEDIUM}, N, "the highest was medium"),
        # Precondition: penetration.
        (
            WITHOUT_CONSENT,
            {"penetration": False, "highest_rosh": RoSH.HIGH},
            N,
            "qualifies only where penetration was involved",
        ),
        (
            WITHOUT_CONSENT,
            {"penetration": True, "highest_rosh": RoSH.HIGH},
            C,
            "assessed as high RoSH",
        ),
        (
            CARE_WORKERS_38,
            {"penetration": True, "highest_rosh": RoSH.VERY_HIGH},
            C,
            "assessed as very high RoSH",
        ),
        (
            CARE_WORKERS_39,
            {"penetration": False, "highest_rosh": RoSH.VERY_HIGH},
            N,
            "only where penetration was involved",
        ),
        # Automatic, whatever the RoSH.
        ("Murder", {"highest_rosh": RoSH.LOW}, A, "Automatic: Murder always needs a review"),
        ("Manslaughter", {"highest_rosh": RoSH.NOT_KNOWN}, A, "always needs a review"),
        ("Causing death by dangerous driving", {}, A, "always needs a review"),
        ("Infanticide", {}, A, "always needs a review"),
        ("Rape", {"highest_rosh": RoSH.MEDIUM}, A, "always needs a review"),
        ("Rape or assault by penetration", {}, A, "always needs a review"),
        ("Rape of a child under 13", {"victim_under_13": False}, A, "always needs a review"),
        ("Intercourse with girl under 13", {}, A, "always needs a review"),
        # Automatic only if the victim is under 13; otherwise conditional.
        (INCEST, {"victim_under_13": True}, A, "because the victim was under 13"),
        (
            INCEST,
            {"victim_under_13": False, "highest_rosh": RoSH.HIGH},
            C,
            "The victim was 13 or over, so the offence is conditional. Conditional:",
        ),
        (
            INCEST,
            {"victim_under_13": False, "highest_rosh": RoSH.MEDIUM},
            N,
            "The victim was 13 or over",
        ),
        ("Sexual activity with a child", {"victim_under_13": True}, A, "under 13"),
        (
            "Sexual activity with a child",
            {"victim_under_13": False, "highest_rosh": RoSH.VERY_HIGH},
            C,
            "assessed as very high RoSH",
        ),
        # Conditional on high or very high RoSH at some point of the supervision.
        (
            "Kidnapping",
            {"highest_rosh": RoSH.HIGH},
            C,
            "Conditional: Kidnapping qualifies because the person was assessed as high RoSH during "
            "supervision",
        ),
        ("Aggravated burglary", {"highest_rosh": RoSH.VERY_HIGH}, C, "very high RoSH"),
        (
            "Kidnapping",
            {"highest_rosh": RoSH.MEDIUM},
            N,
            "Not qualifying: a conditional offence needs high or very high RoSH at some point "
            "of the supervision; the highest was medium.",
        ),
        ("Female genital mutilation", {"highest_rosh": RoSH.LOW}, N, "the highest was low"),
        ("Torture", {"highest_rosh": RoSH.NOT_KNOWN}, N, "the RoSH is not known"),
        ("Soliciting murder", {"highest_rosh": RoSH.MEDIUM}, N, "the highest was medium"),
        (
            "Trafficking into the UK for sexual exploitation",
            {"highest_rosh": RoSH.HIGH},
            C,
            "high RoSH",
        ),
    ],
)
def test_each_precondition_and_rule(title, facts, outcome, reason):
    result = charge(title, **facts)
    assert result.outcome == outcome
    assert reason in result.reason
    assert result.offence is BY_TITLE[title]


@pytest.mark.parametrize(
    ("title", "facts", "outcome"),
    [
        ("Murder", {}, A),
        ("Manslaughter", {}, A),
        (ROBBERY, {"firearm_used": True, "highest_rosh": RoSH.HIGH}, C),
        (ROBBERY, {"firearm_used": False, "highest_rosh": RoSH.HIGH}, N),
        (INCEST, {"victim_under_13": True}, A),
        ("Kidnapping", {"highest_rosh": RoSH.MEDIUM}, N),
    ],
)
@pytest.mark.parametrize("form", list(InchoateForm))
def test_an_inchoate_or_secondary_form_qualifies_as_the_offence_does(title, facts, outcome, form):
    result = charge(title, inchoate=form, **facts)
    assert result.outcome == outcome
    assert f"{form.label} the offence qualifies exactly as the offence itself does" in result.reason


def test_the_printed_attempt_or_conspiracy_to_murder_qualifies_as_murder_does():
    attempt = charge("Attempt to commit murder or a conspiracy to commit murder")
    assert attempt.outcome == charge("Murder", inchoate=InchoateForm.ATTEMPT).outcome == A


def test_a_retired_offence_no_longer_qualifies():
    retired = Offence(**{**read_catalogue()[0], "active": False})
    result = qualify(retired, **{**NO_FACTS, "highest_rosh": RoSH.VERY_HIGH})
    assert result.outcome == N
    assert "retired" in result.reason


def test_an_unknown_rosh_level_or_form_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        charge("Kidnapping", highest_rosh="severe")
    with pytest.raises(ValueError):
        charge("Kidnapping", highest_rosh=RoSH.HIGH, inchoate="threatening")


def test_the_strongest_of_several_charged_offences_decides():
    charges = [
        (BY_TITLE["Kidnapping"], {**NO_FACTS, "highest_rosh": RoSH.MEDIUM}),
        (BY_TITLE[ROBBERY], {**NO_FACTS, "firearm_used": True, "highest_rosh": RoSH.HIGH}),
        (BY_TITLE[INCEST], {**NO_FACTS, "victim_under_13": True, "highest_rosh": RoSH.HIGH}),
        (BY_TITLE["Aggravated burglary"], {**NO_FACTS, "highest_rosh": RoSH.HIGH}),
    ]
    result = qualify_many(charges)
    assert result.outcome == A
    assert result.offence is BY_TITLE[INCEST]
    assert "because the victim was under 13" in result.reason

    conditional = qualify_many(charges[:2] + charges[3:])
    assert conditional.outcome == C
    assert conditional.offence is BY_TITLE[ROBBERY]  # the first charged wins a tie

    assert qualify_many(charges[:1]).outcome == N


def test_no_charged_offence_does_not_qualify():
    assert qualify_many([]) == Qualification(
        N, "Not qualifying: no offence from Annexe 1 was charged."
    )


facts = st.fixed_dictionaries(
    {
        "firearm_used": st.booleans(),
        "penetration": st.booleans(),
        "victim_under_13": st.booleans(),
        "highest_rosh": st.sampled_from(list(RoSH)),
    }
)


@given(offence=st.sampled_from(CATALOGUE), facts=facts, form=st.sampled_from(list(InchoateForm)))
def test_an_inchoate_form_never_changes_the_outcome(offence, facts, form):
    assert qualify(offence, inchoate=form, **facts).outcome == qualify(offence, **facts).outcome


@given(offence=st.sampled_from(CATALOGUE), facts=facts)
def test_the_outcome_follows_the_rule_of_the_annex(offence, facts):
    """The whole decision table, restated: no combination of facts escapes it."""
    outcome = qualify(offence, **facts).outcome
    met = {
        Precondition.NONE: True,
        Precondition.FIREARM: facts["firearm_used"],
        Precondition.PENETRATION: facts["penetration"],
    }[offence.precondition]
    automatic = offence.rule == Rule.AUTOMATIC or (
        offence.rule == Rule.AUTOMATIC_IF_VICTIM_UNDER_13 and facts["victim_under_13"]
    )
    if not met:
        assert outcome == N
    elif automatic:
        assert outcome == A
    elif facts["highest_rosh"] in {RoSH.HIGH, RoSH.VERY_HIGH}:
        assert outcome == C
    else:
        assert outcome == N


@given(
    charges=st.lists(st.tuples(st.sampled_from(CATALOGUE), facts), max_size=5),
)
def test_several_charges_never_qualify_less_than_any_one_of_them(charges):
    strength = {N: 0, C: 1, A: 2}
    overall = qualify_many(charges).outcome
    for offence, charge_facts in charges:
        assert strength[overall] >= strength[qualify(offence, **charge_facts).outcome]
