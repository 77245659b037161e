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


def advance(case: Case, target: str, people: dict, *, offence) -> Case:
    """Move a just-identified case to `target` along PATHS. `people` maps a Role to the user who
    acts in it (provider roles of the reviewing provider, central roles of the central team)."""
    for step in PATHS[target]:
        by = people[MAKER[step]]
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
