"""Take-up of the entitlement to ask for the review (recommendation 14): how many victims and
family members became entitled in a period, and how many were told, asked, were assessed, were
given the review at a meeting, or saw their request end; and how long the first contact and the
meeting took. Figures only: no name or other personal detail leaves this module.

Pure reads over the ORM, counted in SQL: a constant number of queries however many victims there
are (the providers' names, the counts per provider and overall, the meetings per provider and
overall). Python only adds labels and fills the providers with nothing to count.

What is counted, and how:

- **The cohort.** A victim or family member becomes entitled when their case entitles them
  (`victims.services.is_entitled`): the case is registered (it has a reference), its
  qualification as registered after any override is automatic, and it has a conviction for a
  qualifying offence. The figures count the people of the cases whose conviction
  (`court_outcome_date`) falls in the period, whenever the person was recorded; the entitlement
  task's own clock starts later, when the service learns of both facts.
- **Eligible**: those people. **Informed**: their entitlement task is done (a contact told them,
  or they asked, which shows they knew). **Requested**: they made a request for disclosure, at
  any time. **Assessed**: a request of theirs had its vulnerability assessment completed (the
  assessment has its completion time, or the request moved beyond "requested": assessed, signed
  off, deferred, pack released and meeting held, feedback recorded). **Disclosed**: a disclosure
  meeting was held on a request of theirs. **Declined**: a request of theirs ended without
  disclosure. Each person counts at most once in each column; someone whose first request was
  declined and whose second led to a meeting counts in both.
- **Days from conviction to first contact**: for each eligible person with a contact attempt on
  or after the day of the conviction, the days from the conviction to the first such attempt,
  whatever its outcome (a contact before the conviction was not about the entitlement).
- **Days from request to meeting**: for each meeting held on a request of an eligible person, the
  days from the request to the meeting.
- Median (by linear interpolation between the two middle values, PostgreSQL's `percentile_cont`)
  and mean of each, and how many values each was taken from.
- **The provider** is the case's managing provider: the one whose victim liaison officers work
  with the victims. VLOs and senior managers see their own provider's figures only; the central
  team, analysts and chief officers see every provider's and the national total."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from offences.qualification import Outcome as Qualification
from reviews.models import Case, CourtOutcome
from sfo.access import TAKE_UP_READERS
from sfo.people.models import PROVIDER_KINDS, Organisation
from sfo.people.roles import CENTRAL_QA_ROLES, READ_ONLY_NATIONAL_ROLES, Role
from victims.models import (
    ContactAttempt,
    DisclosureMeeting,
    DisclosureRequest,
    RequestState,
    TaskStatus,
    Victim,
    VulnerabilityAssessment,
)

# The roles that see every provider's figures; the provider's VLOs and senior managers see their
# own provider's only.
NATIONAL_ROLES = CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES
PROVIDER_ROLES = frozenset({Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER})
# A request in one of these states has had its vulnerability assessment completed.
ASSESSED_STATES = (
    RequestState.ASSESSED,
    RequestState.SIGNED_OFF,
    RequestState.DEFERRED,
    RequestState.DISCLOSED,
    RequestState.FEEDBACK_RECORDED,
)


class Median(Aggregate):
    """The median of the values, interpolated between the two middle ones: PostgreSQL's ordered-set
    aggregate `percentile_cont(0.5)`. NULLs are left out, as by every aggregate."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """`later - earlier` for two dates: a whole number of days in PostgreSQL."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


# --- Who sees what ------------------------------------------------------------------------------


def provider_scope(user) -> Q | None:
    """The cases whose victims' figures the user may see, as a filter on cases; None for none.
    Everything for the national roles; the managing provider's own for its VLOs and senior
    managers."""
    if not TAKE_UP_READERS.allows(user):
        return None
    if user.roles & NATIONAL_ROLES:
        return Q()
    if user.roles & PROVIDER_ROLES and user.organisation_id:
        return Q(managing_provider_id=user.organisation_id)
    return None


# --- The cohort --------------------------------------------------------------------------------


def entitling_cases(start: date, end: date) -> QuerySet:
    """The cases that came to entitle their victims in the period: `victims.services.is_entitled`
    as a filter, with the conviction's date from `start` to `end` inclusive."""
    automatic = Q(qualification_override=Qualification.AUTOMATIC) | Q(
        qualification_override="", qualification=Qualification.AUTOMATIC
    )
    return Case.objects.filter(
        automatic,
        reference__isnull=False,
        court_outcome=CourtOutcome.CONVICTED_QUALIFYING,
        court_outcome_date__range=(start, end),
    )


def cohort(start: date, end: date, scope: Q) -> QuerySet:
    """The victims and family members who became entitled in the period, within `scope`."""
    cases = entitling_cases(start, end).filter(scope)
    return Victim.objects.filter(case__in=cases.values("pk"))


# --- The figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """Days from one event to another: how many values, their median and their mean."""

    count: int = 0
    median: float | None = None
    mean: float | None = None


@dataclass
class TakeUpRow:
    """The figures of one provider, or the total of the providers shown."""

    label: str
    provider_id: int | None = None
    eligible: int = 0
    informed: int = 0
    requested: int = 0
    assessed: int = 0
    disclosed: int = 0
    declined: int = 0
    to_first_contact: Days = field(default_factory=Days)
    to_meeting: Days = field(default_factory=Days)

    @property
    def requested_share(self) -> float | None:
        """Percentage of the informed who asked for the review: the take-up itself."""
        return 100 * self.requested / self.informed if self.informed else None

    @property
    def days_pair(self) -> tuple[Days, Days]:
        return self.to_first_contact, self.to_meeting

    @property
    def informed_share(self) -> float | None:
        return 100 * self.informed / self.eligible if self.eligible else None


COUNTS = ("eligible", "informed", "requested", "assessed", "disclosed", "declined")


@dataclass
class TakeUp:
    start: date
    end: date
    national: bool  # every provider (and the row is the national total), or one's own
    rows: list[TakeUpRow]
    total: TakeUpRow

    @property
    def is_empty(self) -> bool:
        return self.total.eligible == 0

    @property
    def all_rows(self) -> list[TakeUpRow]:
        """The providers' rows, then the total (whose `provider_id` is None)."""
        return [*self.rows, self.total]


def _victim_aggregates(*, days: bool = True) -> dict:
    """Per-person counts and (with `days`) the days to first contact, as aggregates over the
    cohort's victims."""
    requests = DisclosureRequest.objects.filter(victim=OuterRef("pk"))
    completed = VulnerabilityAssessment.objects.filter(
        request__victim=OuterRef("pk"), assessed_at__isnull=False
    )
    first_contact = (
        ContactAttempt.objects.filter(
            victim=OuterRef("pk"), made_on__gte=OuterRef("case__court_outcome_date")
        )
        .order_by("made_on")
        .values("made_on")[:1]
    )
    counts = {
        "eligible": Count("pk"),
        "informed": Count("pk", filter=Q(entitlement__status=TaskStatus.DONE)),
        "requested": Count("pk", filter=Exists(requests)),
        "assessed": Count(
            "pk",
            filter=Exists(requests.filter(state__in=ASSESSED_STATES)) | Exists(completed),
        ),
        "disclosed": Count(
            "pk", filter=Exists(DisclosureMeeting.objects.filter(request__victim=OuterRef("pk")))
        ),
        "declined": Count("pk", filter=Exists(requests.filter(state=RequestState.DECLINED))),
    }
    if not days:
        return counts
    between = DaysBetween(Subquery(first_contact), "case__court_outcome_date")
    return {
        **counts,
        "contact_n": Count(between),
        "contact_median": Median(between),
        "contact_mean": Avg(between, output_field=FloatField()),
    }


def _meeting_aggregates() -> dict:
    days = DaysBetween("held_on", "request__requested_on")
    return {
        "meeting_n": Count("pk"),
        "meeting_median": Median(days),
        "meeting_mean": Avg(days, output_field=FloatField()),
    }


def _fill(row: TakeUpRow, victims: dict | None, meetings: dict | None) -> TakeUpRow:
    victims, meetings = victims or {}, meetings or {}
    for name in COUNTS:
        setattr(row, name, victims.get(name) or 0)
    row.to_first_contact = Days(
        victims.get("contact_n") or 0, victims.get("contact_median"), victims.get("contact_mean")
    )
    row.to_meeting = Days(
        meetings.get("meeting_n") or 0, meetings.get("meeting_median"), meetings.get("meeting_mean")
    )
    return row


def take_up(user, *, start: date, end: date, days: bool = True) -> TakeUp:
    """The take-up figures the user may see for people who became entitled from `start` to `end`
    inclusive: a row per provider (every provider for the national roles, with those that had
    nothing to count; the user's own otherwise) and their total. Five queries.

    Without `days`, the counts only, in two queries: the days to first contact and to the
    meeting are left empty, and the total is the providers' counts added up (every case has
    exactly one managing provider, so nobody is counted twice or left out)."""
    scope = provider_scope(user)
    if scope is None:
        raise PermissionDenied("Take-up figures are not for this user.")
    national = scope == Q()
    victims = cohort(start, end, scope)
    meetings = DisclosureMeeting.objects.filter(request__victim__in=victims.values("pk"))
    by_provider = {
        row.pop("provider"): row
        for row in victims.values(provider=F("case__managing_provider_id"))
        .annotate(**_victim_aggregates(days=days))
        .order_by()
    }
    if days:
        meetings_by_provider = {
            row.pop("provider"): row
            for row in meetings.values(provider=F("request__victim__case__managing_provider_id"))
            .annotate(**_meeting_aggregates())
            .order_by()
        }
        overall = victims.aggregate(**_victim_aggregates())
        overall_meetings = meetings.aggregate(**_meeting_aggregates())
    else:
        meetings_by_provider, overall_meetings = {}, None
        overall = {name: sum(row[name] for row in by_provider.values()) for name in COUNTS}

    if national:
        providers = Organisation.objects.filter(
            Q(kind__in=PROVIDER_KINDS, active=True) | Q(pk__in=list(by_provider))
        )
    else:
        providers = Organisation.objects.filter(pk=user.organisation_id)
    rows = [
        _fill(TakeUpRow(name, pk), by_provider.get(pk), meetings_by_provider.get(pk))
        for pk, name in providers.order_by("name").values_list("pk", "name")
    ]
    label = "All providers" if national else "Total"
    total = _fill(TakeUpRow(label), overall, overall_meetings)
    return TakeUp(start=start, end=end, national=national, rows=rows, total=total)


# --- The period --------------------------------------------------------------------------------


def last_twelve_months(today: date) -> tuple[date, date]:
    """The twelve months up to and including today: from the day after the same date a year
    earlier (the 28th of February standing for the 29th)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # the 29th of February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today
