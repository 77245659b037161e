"""Who owns the next action on a clock, and who hears when it is late.

One table (DOMAIN.md, "The case lifecycle" and "The workflow"):

- notification and early look: the person who identified the case, else the managing provider's
  SFO review managers;
- review: the allocated reviewer, else the reviewing provider's SFO review managers;
- central QA: the central QA reviewer who last took the case for QA, else every central QA
  reviewer;
- and when a clock is overdue, escalation to each owner's line manager and to the central QA
  managers.

A provider clock escalates to the central team (its QA managers) because the central team
watches the providers' deadlines; the central QA clock escalates to the central QA manager
because that clock is the central team's own. Nobody is escalated to about their own clock.

The sweep resolves many clocks at once, so the people a rule may fall back on are read in bulk
into a `Directory` first: three queries for the whole sweep, none per clock."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F

from sfo.clocks.models import Clock, ClockKind
from sfo.people.models import User
from sfo.people.roles import Role


def _active(user: User | None) -> bool:
    return user is not None and user.is_active


@dataclass
class Directory:
    """The fallback owners and the escalation targets for a batch of clocks, read once."""

    review_managers: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    central_qa_reviewers: list[User] = field(default_factory=list)
    central_qa_managers: list[User] = field(default_factory=list)
    qa_takers: dict[int, User] = field(default_factory=dict)  # by case id

    @classmethod
    def load(cls, clocks: Iterable[Clock]) -> "Directory":
        """The providers' SFO review managers, the central QA team (one query through the role
        groups, each with their line manager), and who last took each central QA case for QA
        (one query)."""
        from reviews.models import CaseTransition

        clocks = list(clocks)
        directory = cls()
        if not clocks:
            return directory
        providers = {c.case.managing_provider_id for c in clocks} | {
            c.case.review_provider_id for c in clocks
        }
        people = (
            User.objects.filter(is_active=True)
            .filter(
                groups__name__in=[
                    Role.SFO_REVIEW_MANAGER,
                    Role.CENTRAL_QA_REVIEWER,
                    Role.CENTRAL_QA_MANAGER,
                ]
            )
            .select_related("line_manager")
            .annotate(role_name=F("groups__name"))
            .order_by("pk")
        )
        for user in people:
            if user.role_name == Role.SFO_REVIEW_MANAGER:
                if user.organisation_id in providers:
                    directory.review_managers[user.organisation_id].append(user)
            elif user.role_name == Role.CENTRAL_QA_REVIEWER:
                directory.central_qa_reviewers.append(user)
            else:
                directory.central_qa_managers.append(user)
        qa_cases = {c.case_id for c in clocks if c.kind == ClockKind.CENTRAL_QA}
        if qa_cases:
            takers = (
                CaseTransition.objects.filter(case_id__in=qa_cases, name="take_for_qa")
                .exclude(by=None)
                .select_related("by__line_manager")
                .order_by("case_id", "-at", "-pk")
                .distinct("case_id")
            )
            directory.qa_takers = {t.case_id: t.by for t in takers}
        return directory


def owners_of(clock: Clock, directory: Directory | None = None) -> list[User]:
    """The people who own the next action on this clock (the table above). Never empty while the
    fallback roles are staffed; inactive people are passed over for the fallback."""
    directory = directory or Directory.load([clock])
    case = clock.case
    if clock.kind in (ClockKind.NOTIFICATION, ClockKind.EARLY_LOOK):
        if _active(case.identified_by):
            return [case.identified_by]
        return list(directory.review_managers.get(case.managing_provider_id, []))
    if clock.kind == ClockKind.REVIEW:
        if _active(case.reviewer):
            return [case.reviewer]
        return list(directory.review_managers.get(case.review_provider_id, []))
    if clock.kind == ClockKind.CENTRAL_QA:
        taker = directory.qa_takers.get(case.pk)
        if _active(taker):
            return [taker]
        return list(directory.central_qa_reviewers)
    return []


def escalation_of(clock: Clock, owners: list[User], directory: Directory) -> list[User]:
    """Who hears that a clock is overdue, beyond its owners: each owner's line manager, and the
    central QA managers (the central team for a provider clock; the manager for the central QA
    clock). Each person once; never an owner."""
    targets = [owner.line_manager for owner in owners if _active(owner.line_manager)]
    targets += directory.central_qa_managers
    owner_ids = {owner.pk for owner in owners}
    seen: set[int] = set()
    unique = []
    for person in targets:
        if person.pk not in owner_ids and person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique
