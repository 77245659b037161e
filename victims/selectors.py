"""Reads of the victims' records for their pages: the rows of a case's victims, the worklist of
open entitlement tasks and their red/amber/green status, and what a request shows next. Every
queryset starts from `sfo.access.visible_victims`, so a list never holds a record its reader may
not see; the pages record the look (one row per page, never one per person)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from sfo.access import visible_victims
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import amber_threshold
from sfo.clocks.selectors import due_status
from victims.models import (
    CLOSED_STATES,
    DisclosureRequest,
    EntitlementTask,
    RequestState,
    TaskStatus,
    Victim,
)

WORKLIST_PAGE_SIZE = 25

# The colour of each state of a request, as a GOV.UK tag.
REQUEST_COLOURS = {
    RequestState.REQUESTED: "blue",
    RequestState.ASSESSED: "purple",
    RequestState.SIGNED_OFF: "turquoise",
    RequestState.DISCLOSED: "green",
    RequestState.FEEDBACK_RECORDED: "grey",
    RequestState.DECLINED: "grey",
    RequestState.DEFERRED: "orange",
}
TASK_COLOURS = {TaskStatus.DONE: "green", TaskStatus.CANCELLED: "grey"}


@dataclass(frozen=True)
class Tag:
    """A GOV.UK tag's colour and words, for `components/state_tag.html`."""

    colour: str
    label: str


def request_tag(request: DisclosureRequest) -> Tag:
    return Tag(REQUEST_COLOURS.get(request.state, "grey"), request.get_state_display())


@dataclass(frozen=True)
class Rag:
    """Reads the amber threshold and the extra non-working days once for a whole page."""

    today: date
    calendar: WorkingCalendar
    threshold: int

    @classmethod
    def today_(cls, today: date) -> "Rag":
        return cls(today, WorkingCalendar.current(), amber_threshold(today))

    def of(self, task: EntitlementTask | None) -> str | None:
        """ "red" when an open task is overdue, "amber" when it is due within the threshold in
        working days (due today is amber), "green" otherwise; None for a task that is not open."""
        if task is None or task.status != TaskStatus.OPEN:
            return None
        return due_status(task.due_on, self.today, calendar=self.calendar, threshold=self.threshold)


def entitlement_of(victim: Victim) -> EntitlementTask | None:
    try:
        return victim.entitlement
    except EntitlementTask.DoesNotExist:
        return None


@dataclass(frozen=True)
class VictimRow:
    victim: Victim
    task: EntitlementTask | None
    rag: str | None
    open_request: DisclosureRequest | None
    open_request_tag: Tag | None


def case_victim_rows(user, case, today: date) -> list[VictimRow]:
    """The case's victims and family members this person may see, each with their entitlement
    task and its status, and their open request if any: three queries whatever their number."""
    open_requests = DisclosureRequest.objects.exclude(state__in=CLOSED_STATES)
    victims = (
        visible_victims(user, case.victims.all())
        .select_related("entitlement", "vcs_officer")
        .prefetch_related(Prefetch("requests", queryset=open_requests, to_attr="open_requests"))
    )
    rag = Rag.today_(today)
    rows = []
    for victim in victims:
        task = entitlement_of(victim)
        current = victim.open_requests[0] if victim.open_requests else None
        rows.append(
            VictimRow(
                victim=victim,
                task=task,
                rag=rag.of(task),
                open_request=current,
                open_request_tag=request_tag(current) if current else None,
            )
        )
    return rows


def open_entitlement_tasks_for(user) -> QuerySet[EntitlementTask]:
    """The open "inform of entitlement" tasks of the people this user may see (a VLO's or senior
    manager's provider; all of them for the central team), soonest due first."""
    return (
        EntitlementTask.objects.filter(
            status=TaskStatus.OPEN, victim__in=visible_victims(user).values("pk")
        )
        .select_related("victim__case")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class TaskRow:
    task: EntitlementTask
    rag: str | None


def task_rows(tasks, today: date) -> list[TaskRow]:
    rag = Rag.today_(today)
    return [TaskRow(task, rag.of(task)) for task in tasks]


def requests_of(victim: Victim) -> list[tuple[DisclosureRequest, Tag]]:
    return [(r, request_tag(r)) for r in victim.requests.order_by("-requested_on", "-pk")]
