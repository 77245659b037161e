"""The case lifecycle of DOMAIN.md ("The case lifecycle"): its states, and who may move a case
from which states to which. The Case model's @transition methods and the services follow this
table; the stateful test drives random transitions by random roles against it."""

from dataclasses import dataclass

from django.db import models

from sfo.people.roles import Role


class CaseState(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    NOTIFIED = "notified", "Notified"
    REGISTERED = "registered", "Registered"
    REJECTED = "rejected", "Rejected"
    REVIEW_IN_PROGRESS = "review_in_progress", "Review in progress"
    LOCAL_QA = "local_qa", "Local QA"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature", "Awaiting countersignature"
    WITH_CENTRAL_TEAM = "with_central_team", "With the central team"
    CENTRAL_QA = "central_qa", "Central QA"
    RETURNED_FOR_AMENDMENTS = "returned_for_amendments", "Returned for amendments"
    QA_COMPLETE = "qa_complete", "QA complete"
    CLOSED = "closed", "Closed"
    DISCONTINUED = "discontinued", "Discontinued"


S = CaseState
END_STATES = frozenset({S.REJECTED, S.CLOSED, S.DISCONTINUED})


class Actor(models.TextChoices):
    """Whose staff may make a transition, beyond holding the role."""

    MANAGING_PROVIDER = "managing_provider", "staff of the provider managing the case"
    REVIEWING_PROVIDER = "reviewing_provider", "staff of the provider reviewing the case"
    ALLOCATED_REVIEWER = "allocated_reviewer", "the reviewer allocated to the case"
    CENTRAL_TEAM = "central_team", "the central team"
    SYSTEM = "system", "the system itself"


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    actor: Actor


def _spec(name, label, sources, target, roles, actor):
    return TransitionSpec(name, label, frozenset(sources), target, frozenset(roles), actor)


PROVIDER_CASEWORK = {Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER}
CENTRAL_QA = {Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER}
OPEN_STATES = [state for state in S if state not in END_STATES]

TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "notify",
            "Send the notification to the central team",
            [S.IDENTIFIED],
            S.NOTIFIED,
            PROVIDER_CASEWORK,
            Actor.MANAGING_PROVIDER,
        ),
        _spec(
            "register",
            "Register the SFO",
            [S.NOTIFIED],
            S.REGISTERED,
            CENTRAL_QA,
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "reject",
            "Reject the notification",
            [S.NOTIFIED],
            S.REJECTED,
            CENTRAL_QA,
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "allocate",
            "Allocate a reviewer",
            [S.REGISTERED],
            S.REVIEW_IN_PROGRESS,
            {Role.SFO_REVIEW_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "send_to_local_qa",
            "Send for local QA",
            [S.REVIEW_IN_PROGRESS],
            S.LOCAL_QA,
            {Role.SFO_REVIEWER},
            Actor.ALLOCATED_REVIEWER,
        ),
        _spec(
            "return_from_local_qa",
            "Return with comments",
            [S.LOCAL_QA],
            S.REVIEW_IN_PROGRESS,
            {Role.SFO_REVIEW_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "pass_local_qa",
            "Pass local QA",
            [S.LOCAL_QA],
            S.AWAITING_COUNTERSIGNATURE,
            {Role.SFO_REVIEW_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "countersign_and_submit",
            "Countersign and submit",
            [S.AWAITING_COUNTERSIGNATURE],
            S.WITH_CENTRAL_TEAM,
            {Role.SENIOR_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "take_for_qa",
            "Take for central QA",
            [S.WITH_CENTRAL_TEAM],
            S.CENTRAL_QA,
            CENTRAL_QA,
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "return_for_amendments",
            "Return for amendments",
            [S.CENTRAL_QA],
            S.RETURNED_FOR_AMENDMENTS,
            CENTRAL_QA,
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "choose_to_amend",
            "Amend after feedback",
            [S.QA_COMPLETE],
            S.RETURNED_FOR_AMENDMENTS,
            {Role.SFO_REVIEW_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "resubmit",
            "Countersign and re-submit",
            [S.RETURNED_FOR_AMENDMENTS],
            S.WITH_CENTRAL_TEAM,
            {Role.SENIOR_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "complete_qa",
            "Give feedback: no re-submission needed",
            [S.CENTRAL_QA],
            S.QA_COMPLETE,
            CENTRAL_QA,
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "accept_feedback",
            "Accept the feedback",
            [S.RETURNED_FOR_AMENDMENTS],
            S.QA_COMPLETE,
            {Role.SFO_REVIEW_MANAGER},
            Actor.REVIEWING_PROVIDER,
        ),
        _spec(
            "require_full_qa", "Full QA needed", [S.QA_COMPLETE], S.CENTRAL_QA, set(), Actor.SYSTEM
        ),
        _spec(
            "close",
            "Close the case",
            [S.QA_COMPLETE],
            S.CLOSED,
            {Role.CENTRAL_QA_MANAGER},
            Actor.CENTRAL_TEAM,
        ),
        _spec(
            "discontinue",
            "Discontinue the review",
            OPEN_STATES,
            S.DISCONTINUED,
            {Role.CENTRAL_QA_MANAGER},
            Actor.CENTRAL_TEAM,
        ),
    ]
}
