"""Moving a case along the lifecycle through the real services, for the demo data, the synthetic
national dataset and the tests: each state is reached by the transitions that lead to it, made by
the people who make them."""

from datetime import date, timedelta

from django.utils import timezone

from reviews import services
from reviews.models import Case, CourtOutcome, RoSH, SupervisionType
from reviews.workflow import CaseState
from sfo.people.roles import Role

S = CaseState
_TO_REGISTERED = ["notify", "register"]
_TO_REVIEW = [*_TO_REGISTERED, "allocate"]
_TO_SUBMITTED = [*_TO_REVIEW, "send_to_local_qa", "pass_local_qa", "countersign_and_submit"]
PATHS: dict[str, list[str]] = {
    S.IDENTIFIED: [],
    S.NOTIFIED: ["notify"],
    S.REGISTERED: _TO_REGISTERED,
    S.REJECTED: ["notify", "reject"],
    S.REVIEW_IN_PROGRESS: _TO_REVIEW,
    S.LOCAL_QA: [*_TO_REVIEW, "send_to_local_qa"],
    S.AWAITING_COUNTERSIGNATURE: [*_TO_REVIEW, "send_to_local_qa", "pass_local_qa"],
    S.WITH_CENTRAL_TEAM: _TO_SUBMITTED,
    S.CENTRAL_QA: [*_TO_SUBMITTED, "take_for_qa"],
    S.RETURNED_FOR_AMENDMENTS: [*_TO_SUBMITTED, "take_for_qa", "return_for_amendments"],
    S.QA_COMPLETE: [*_TO_SUBMITTED, "take_for_qa", "complete_qa"],
    S.CLOSED: [*_TO_SUBMITTED, "take_for_qa", "complete_qa", "close"],
    S.DISCONTINUED: [*_TO_REGISTERED, "discontinue"],
}

# Who makes each step: a provider role (of the reviewing provider) or a central role.
MAKER = {
    "notify": Role.SFO_REVIEW_MANAGER,
    "register": Role.CENTRAL_QA_REVIEWER,
    "reject": Role.CENTRAL_QA_REVIEWER,
    "allocate": Role.SFO_REVIEW_MANAGER,
    "send_to_local_qa": Role.SFO_REVIEWER,
    "return_from_local_qa": Role.SFO_REVIEW_MANAGER,
    "pass_local_qa": Role.SFO_REVIEW_MANAGER,
    "countersign_and_submit": Role.SENIOR_MANAGER,
    "take_for_qa": Role.CENTRAL_QA_REVIEWER,
    "return_for_amendments": Role.CENTRAL_QA_REVIEWER,
    "complete_qa": Role.CENTRAL_QA_REVIEWER,
    "close": Role.CENTRAL_QA_MANAGER,
    "discontinue": Role.CENTRAL_QA_MANAGER,
}


def complete_notification(
    case: Case, *, by, offence, highest_rosh=RoSH.HIGH, officer=None, facts=None
) -> Case:
    """Fill in a plausible notification for a case identified at `case.first_hearing_date`."""
    hearing = case.first_hearing_date or timezone.localdate()
    fields = {
        "date_of_birth": date(1985, 6, 1),
        "gender": "male",
        "supervision_type": SupervisionType.LICENCE,
        "supervision_start": hearing - timedelta(days=300),
        "supervision_end": None,
        "managing_team": case.managing_provider.teams.first(),
        "rosh_at_offence": highest_rosh,
        "highest_rosh": highest_rosh,
        "mappa_category": "none",
        "mappa_level": "",
        "iom": False,
        "offence_date": hearing - timedelta(days=3),
        "charge_date": hearing - timedelta(days=2),
        "court": "Crown Court",
        "police_force": "Metropolitan Police Service",
    }
    offences = [services.ChargedOffenceFacts(offence=offence, **(facts or {}))]
    return services.save_notification(
        case, by=by, fields=fields, offences=offences, officer=officer
    )


def advance(case: Case, target: str, people: dict, *, offence, with_review=False) -> Case:
    """Move a just-identified case to `target` along PATHS. `people` maps a Role to the user who
    acts in it (provider roles of the reviewing provider, central roles of the central team).
    With `with_review`, the reviewer writes a short review before sending it, and local QA and
    countersignature go through their own services, so that versions and checks exist."""
    for step in PATHS[target]:
        by = people[MAKER[step]]
        if with_review and step in REVIEW_STEPS:
            case = REVIEW_STEPS[step](case, by)
            continue
        if step == "notify":
            complete_notification(
                case, by=by, offence=offence, officer=people.get(Role.RESPONSIBLE_OFFICER)
            )
            case = services.notify_case(case, by=by)
        elif step == "register":
            case = services.register_case(case, by=by)
        elif step == "reject":
            case = services.reject_case(case, by=by, reason="Not an offence of the catalogue")
        elif step == "allocate":
            case = services.allocate_reviewer(case, by=by, reviewer=people[Role.SFO_REVIEWER])
        elif step == "discontinue":
            services.record_court_outcome(
                case, by=by, outcome=CourtOutcome.ACQUITTED, on=timezone.localdate()
            )
            case = services.discontinue_case(case, by=by, comment="Acquitted at trial")
        else:
            case = services.transition_case(case, step, by=by)
    return case


def write_sample_review(case: Case, by) -> None:
    """A short, complete review: every section written, a judgement, a small chronology, two
    findings and two actions. For the demo data, so that every page of a review has content."""
    from reviews import authoring
    from reviews.models import SectionKey, SectionStatus

    offence_day = case.offence_date or timezone.localdate() - timedelta(days=30)
    authoring.set_review_period(case, by=by, start=offence_day - timedelta(days=365))
    for key in SectionKey:
        if key in (SectionKey.CHRONOLOGY, SectionKey.KEY_FINDINGS, SectionKey.ACTION_PLAN):
            continue
        text = SAMPLE_TEXT.get(key, f"{key.label}: considered, with the reasons set out above.")
        if key == SectionKey.CONCLUSION:
            authoring.save_conclusion(
                case,
                by=by,
                text=text,
                status=SectionStatus.COMPLETED,
                judgement="no",
                reasons="The risk of serious harm was not reassessed after the arrest in the "
                "spring, so the plan no longer matched the risk.",
                expected_version=None,
            )
        else:
            authoring.save_section(
                case, key, by=by, text=text, status=SectionStatus.COMPLETED, expected_version=None
            )
    missed = authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(
            "Risk was not reassessed after the arrest",
            "The arrest was recorded, but the assessment was not reviewed because the team waited "
            "for a charge that never came.",
            "missed_opportunity",
        ),
    )
    authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(
            "Prompt information sharing with the police",
            "The officer shared the change of address with the police the same day.",
            "good_practice",
            "local",
        ),
    )
    events = [
        (300, "case_record", "Supervision began; induction completed", False, ""),
        (200, "oasys", "OASys assessment: risk of serious harm medium", False, ""),
        (
            120,
            "police",
            "Arrested for assault on his partner; no further action",
            True,
            "Risk not reassessed after the arrest",
        ),
        (
            60,
            "case_record",
            "Two appointments missed; no enforcement",
            True,
            "Enforcement not considered",
        ),
        (0, "police", "Arrested for the further offence", True, ""),
    ]
    authoring.add_entries(
        case,
        by=by,
        entries=[
            authoring.EntryFacts(
                offence_day - timedelta(days=days),
                source,
                event,
                significant,
                issue,
                missed.pk if significant and issue else None,
            )
            for days, source, event, significant, issue in events
        ],
    )
    for description, level in (
        (
            "Reassess risk after every arrest: add the check to the police-information procedure",
            "organisation",
        ),
        ("Team briefing on enforcement after missed appointments", "team"),
    ):
        authoring.add_action(
            case,
            by=by,
            facts=authoring.ActionFacts(
                description,
                level,
                "Head of public protection",
                timezone.localdate() + timedelta(days=90),
                finding_id=missed.pk,
            ),
        )
    for key in (SectionKey.CHRONOLOGY, SectionKey.KEY_FINDINGS, SectionKey.ACTION_PLAN):
        authoring.mark_section(case, key, by=by, status=SectionStatus.COMPLETED)


SAMPLE_TEXT = {
    "methodology": "I interviewed the responsible officer and the senior probation officer, and "
    "read the case record, the Offender Assessment System (OASys) assessments and police records.",
    "summary_of_events": "The person was supervised for ten months before the further offence. "
    "An arrest for assault on his partner in the spring did not lead to a charge.",
    "multi_agency": "The police shared the arrest the next day, but children's services were not "
    "told of the change of address, and no referral to the local domestic abuse conference was "
    "made. Information flowed one way: probation received it but did not act on it, because the "
    "team treated an arrest without charge as closed. Had the risk been reassessed, a joint home "
    "visit with the police would have been the expected step under local arrangements.",
    "good_practice": "The officer shared the change of address with the police the same day.",
}


def _send(case: Case, by) -> Case:
    from reviews import authoring

    write_sample_review(case, by)
    authoring.send_for_local_qa(case, by=by)
    case.refresh_from_db()
    return case


def _pass(case: Case, by) -> Case:
    from reviews import local_qa
    from reviews.standards import current_standards

    standards = current_standards()
    answers = {question.pk: ("yes", "") for question in standards.questions.all()}
    local_qa.pass_local_qa(case, by=by, answers=answers, section_comments={}, comment="")
    case.refresh_from_db()
    return case


def _countersign(case: Case, by) -> Case:
    from reviews import local_qa

    local_qa.countersign_and_submit(case, by=by)
    case.refresh_from_db()
    return case


REVIEW_STEPS = {
    "send_to_local_qa": _send,
    "pass_local_qa": _pass,
    "countersign_and_submit": _countersign,
}


def register_steps(steps: dict) -> None:
    """Later stages (central QA) add the services that make their steps with a review, so that
    a journey with a review goes through them too; this module never imports those stages."""
    REVIEW_STEPS.update(steps)
