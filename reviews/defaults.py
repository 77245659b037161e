"""The review-quality coach's default thresholds and the glossary of acronyms, seeded from HM
Inspectorate of Probation's thematic inspection of SFO reviews (2020), Annexe 2, with the terms
reviews commonly use beside them. Administrators edit both afterwards; the seed never overwrites."""

from datetime import date

FROM = date(2018, 4, 1)

COACH_POLICY = {
    "effective_from": FROM,
    # The inspection found multi-agency working sufficiently addressed in 39% of reviews: a
    # section of under 150 words cannot analyse more than one agency's part.
    "multi_agency_min_words": 150,
    # "Reviews drown in history": flag when more than half the chronology predates the period.
    "history_max_share": "0.50",
    "history_min_entries": 10,
    # Reviews averaged 30 pages; a focused review fits in about 15 (some 600 words a page).
    "target_words": 9000,
    "note": "Service defaults drawn from the inspection's findings (HMI Probation, 2020)",
}

# (acronym, expansion, plain-language explanation or "")
GLOSSARY = [
    (
        "AP",
        "Approved premises",
        "A hostel run or approved by probation, where some people live "
        "after prison so that they can be closely supervised.",
    ),
    (
        "CRC",
        "Community Rehabilitation Company",
        "A private company that supervised people on "
        "probation who posed a low or medium risk, until June 2021.",
    ),
    ("CRN", "Case reference number", "The number probation gives each person it supervises."),
    ("CSP", "Community Safety Partnership", ""),
    (
        "CSPR",
        "Child safeguarding practice review",
        "A review of what agencies did when a child "
        "was seriously harmed or died because of abuse or neglect.",
    ),
    (
        "DHR",
        "Domestic homicide review",
        "A review, led by local agencies together, of a death "
        "caused by violence or abuse from a partner, relative or member of the household.",
    ),
    ("EPD", "Effective Practice Division", ""),
    ("FOI", "Freedom of Information request", ""),
    (
        "HMPPS",
        "His Majesty's Prison and Probation Service",
        "The national agency responsible for prisons and probation in England and Wales.",
    ),
    (
        "IOM",
        "Integrated Offender Management",
        "Police, probation and other agencies managing "
        "together the people most likely to reoffend in an area.",
    ),
    (
        "MAPPA",
        "Multi-Agency Public Protection Arrangements",
        "Where probation, police, prisons "
        "and other agencies work together to manage people who pose a higher risk of harm.",
    ),
    (
        "MARAC",
        "Multi-agency risk assessment conference",
        "A meeting of local agencies about victims of domestic abuse at the highest risk.",
    ),
    ("MoJ", "Ministry of Justice", ""),
    (
        "NOMS",
        "National Offender Management Service",
        "The agency that ran prisons and probation until April 2017, now HMPPS.",
    ),
    (
        "NPS",
        "National Probation Service",
        "The public probation service that supervised people posing a high risk of serious harm.",
    ),
    (
        "OASys",
        "Offender Assessment System",
        "The assessment probation uses to measure the risks and needs of the people it supervises.",
    ),
    ("OM", "Offender manager", "The probation worker who supervises a person on probation."),
    ("ORA", "Offender Rehabilitation Act 2014", ""),
    ("PI", "Probation Instruction", "A mandatory instruction from HMPPS setting out policy."),
    ("PNC", "Police National Computer", ""),
    ("PO", "Probation officer", "A qualified probation worker who manages the more complex cases."),
    ("PPG", "Public Protection Group", ""),
    ("PQ", "Parliamentary question", ""),
    (
        "PSO",
        "Probation services officer",
        "A probation worker who manages all but the most complex cases.",
    ),
    ("PSR", "Pre-sentence report", "A report written for a court before it sentences someone."),
    ("RO", "Responsible officer", "The probation worker responsible for supervising the person."),
    (
        "RoSH",
        "Risk of serious harm",
        "Probation's judgement of how likely someone is to cause "
        "serious harm, and how serious it would be: low, medium, high or very high.",
    ),
    (
        "SCR",
        "Serious case review",
        "A review of what agencies did, held when someone under "
        "their management causes serious harm.",
    ),
    (
        "SFO",
        "Serious further offence",
        "A serious violent or sexual offence committed by someone "
        "while under probation supervision.",
    ),
    (
        "VCS",
        "Victim contact scheme",
        "The probation service that keeps victims informed about the person who harmed them.",
    ),
    ("ViSOR", "Violent and Sex Offender Register", ""),
    (
        "VLO",
        "Victim liaison officer",
        "The probation worker who is your contact in the victim contact scheme.",
    ),
    ("YOT", "Youth offending team", "The local team that works with children who offend."),
]


def seed(coach_policy_model=None, glossary_model=None) -> None:
    """Create the default coach policy and glossary where missing. The data migration passes its
    historical models; the demo loader passes none."""
    if coach_policy_model is None:
        from reviews.models import CoachPolicy as coach_policy_model
        from reviews.models import GlossaryTerm as glossary_model
    coach_policy_model.objects.get_or_create(
        effective_from=COACH_POLICY["effective_from"], defaults=COACH_POLICY
    )
    for acronym, expansion, explanation in GLOSSARY:
        glossary_model.objects.get_or_create(
            acronym=acronym, defaults={"expansion": expansion, "explanation": explanation}
        )


# The QA standards the central team and the inspection used (DOMAIN.md, "The questions QA asks"),
# as version 1. Later versions are drawn from it by an administrator; version 1 is never changed.
QA_STANDARDS_FROM = date(2018, 4, 1)
# (question, scope, asked in a targeted QA)
STANDARDS_V1 = [
    (
        "Does the review consider all areas for assessment identified in the chronology?",
        "review",
        True,
    ),
    ("Is its analysis of the key risk of harm factors sufficient?", "review", False),
    ("Is its analysis of the risk management plan sufficient?", "review", False),
    (
        "Does it give a clear judgement whether all reasonable steps were taken to manage the risk "
        "of serious harm?",
        "review",
        True,
    ),
    ("Does it consider the implementation and review of the work?", "review", False),
    ("Does it sufficiently address multi-agency working?", "review", False),
    ("Does it identify good practice?", "review", True),
    ("Does the action plan answer the key findings?", "action_plan", True),
    ("Are there organisational, not only individual, actions?", "action_plan", True),
]


def seed_standards(standard_set_model=None, standard_model=None) -> None:
    """Create version 1 of the standards where there is none."""
    if standard_set_model is None:
        from reviews.models import Standard as standard_model
        from reviews.models import StandardSet as standard_set_model
    if standard_set_model.objects.filter(version=1).exists():
        return
    standards = standard_set_model.objects.create(
        version=1,
        published_on=date(2018, 4, 1),
        note="The standards the central team and the inspection used (HMI Probation, 2020)",
    )
    for position, (question, scope, targeted) in enumerate(STANDARDS_V1, start=1):
        standard_model.objects.create(
            standards=standards,
            position=position,
            question=question,
            scope=scope,
            targeted=targeted,
        )
