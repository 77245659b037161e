"""Generate a deterministic synthetic national dataset of SFO cases, drawn from the 2018/19 mix.

The inspection gives the national mix of one year's notifications (DOMAIN.md, "What an SFO is"):
577 notifications; 68% violent, 32% sexual; 60% managed by NPS divisions, 40% by CRCs; 77%
automatically qualified; highest RoSH 48% high or very high, 41% medium, 8% low, 3% not known;
supervision 56% licence, 38% community, 3% IPP, 2% life licence; about 14% high-profile; 41-49%
of charges ending in a conviction for a qualifying offence. The benchmarks and the national
reports need thousands of cases in that mix, in every state of the lifecycle; making them through
the services one by one takes minutes, so this command writes them in bulk, reproducing what the
services would have written: the transitions of `reviews.journeys.PATHS` with their actors and
times, and the clocks `reviews.clock_hooks` would have started, met and cancelled, with due dates
from the same policies (`ClockPolicy.applying_to`) and working-day calendar.

How the mix is reconciled with the qualification rules. A conditional offence qualifies only with
high or very high RoSH, so RoSH cannot be drawn independently of the qualification: if it were,
about 12% of the cases (23% conditional x 52% below high) would not qualify at all, while the
2018/19 figures describe notifications that were registered. The pair is drawn from one joint
table whose margins are the inspection's: every conditional case is high or very high RoSH; the
automatic cases carry the rest of the high share and nearly all of the medium, low and not-known
shares; and a small share (3%) are conditional offences with medium, low or unknown RoSH: the
notifications a provider sends that do not qualify, which the central team rejects. So 77%
automatic, 20% conditional, 3% not qualifying, and RoSH 48/41/8/3 overall.

Shares are drawn as quotas (exact counts per year, then shuffled), not as independent coin tosses,
so that even a small dataset has the mix. Python's `random.Random(seed)` is the only source of
randomness: the same arguments on the same day give the same cases. The state of a case follows
its age (a later day moves cases further along, as time would).

The early-look clock: the case's services start it at identification and only an ending cancels
it, because the early look (its own draft → submitted status) is not built yet. Left running, it
would make every open case older than two weeks overdue; here it is met when the early look would
plausibly have been submitted (mostly within its 10 working days, some late).

Every case a reviewer has been allocated to gets its review, as far as it has gone: sections,
chronology, key findings, action plan, the versions frozen when it was sent for local QA and
submitted, and the local QA check that passed it, in the shares the inspection found
(`_review_content`, from the phrase banks of `_review_phrases`). Every submitted review has its
round of central QA, waiting, in draft or completed with its ratings in the inspection's shares,
and the most recent full year of QA-complete reviews has an independent sample, mostly rated
(`_qa_content`). Every case has one to three victims or family members; those whose case entitles
them have their entitlement task and contacts, and the few who ask their request for disclosure,
assessment, meeting and feedback (`_victim_content`). Findings and actions carry themes, with
trends across the years (`_theme_content`); cases have the other agencies involved, requests for
their contribution, extracts shared and parallel reviews (`_agency_content`); and reviews have
redaction marks, redacted copies shared with the staff involved and their responses
(`_learning_redaction_content`).

Synthetic cases are marked twice, so that `--replace` never touches a real case: the CRN starts
with "S" (S, the two digits of the year, a four-digit number) and the identification transition
says "synthetic national dataset". Writing in bulk bypasses `FSMField(protected=True)` on purpose:
the state is given to the constructor, which the field accepts, and never assigned afterwards.
Replacing a dataset does not give its SFO-YYYY-NNNN numbers back: the reference counters only
move forwards, so that a real registration never reuses a number. Replacing deletes the synthetic
reviews' versions, which are otherwise immutable (a trigger refuses it): the one place that may."""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from offences.models import Category, Offence, Precondition, RoSH, Rule
from offences.qualification import Outcome
from reviews.journeys import MAKER, PATHS
from reviews.management.commands._agency_content import AgencyContent, delete_agencies
from reviews.management.commands._learning_redaction_content import (
    LearningRedactionContent,
    delete_learning_redactions,
)
from reviews.management.commands._qa_content import QAContent, delete_qa
from reviews.management.commands._review_content import ReviewContent, delete_reviews
from reviews.management.commands._theme_content import ThemeContent
from reviews.management.commands._timestamps import given_times
from reviews.management.commands._victim_content import VictimContent, delete_victims
from reviews.models import (
    Case,
    CaseTransition,
    ChargedOffence,
    ChronologyEntry,
    CourtOutcome,
    Gender,
    LocalQACheck,
    MappaCategory,
    ReferenceCounter,
    ResponsibleOfficerPeriod,
    Review,
    ReviewSection,
    ReviewVersion,
    SupervisionType,
)
from reviews.services import ChargedOffenceFacts, qualification_of
from reviews.workflow import TRANSITIONS, CaseState
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import Clock, ClockEvent, ClockEventKind, ClockKind, ClockPolicy
from sfo.people.demo import CENTRAL_ROLES, ORGANISATIONS, username
from sfo.people.management.commands.load_demo_data import FIRST_NAMES, LAST_NAMES
from sfo.people.models import Organisation, OrganisationKind, Team, User
from sfo.people.roles import PROVIDER_ROLES, Role

MARK = "synthetic national dataset"
CRN_PREFIX = "S"
S = CaseState

# The 2018/19 mix (DOMAIN.md, "What an SFO is"), as weights.
PROVIDER_KIND_MIX = {OrganisationKind.PROBATION_DIVISION: 60, OrganisationKind.CRC: 40}
CATEGORY_MIX = {Category.VIOLENT: 68, Category.SEXUAL: 32}
# (qualification, highest RoSH) jointly: see the module docstring. "high" stands for high or very
# high, split below; the margins are 77/20/3 and 48/41/8/3.
QUALIFICATION_ROSH_MIX = {
    (Outcome.AUTOMATIC, "high"): 28.0,
    (Outcome.AUTOMATIC, RoSH.MEDIUM): 39.0,
    (Outcome.AUTOMATIC, RoSH.LOW): 7.3,
    (Outcome.AUTOMATIC, RoSH.NOT_KNOWN): 2.7,
    (Outcome.CONDITIONAL, "high"): 20.0,
    (Outcome.NOT_QUALIFYING, RoSH.MEDIUM): 2.0,
    (Outcome.NOT_QUALIFYING, RoSH.LOW): 0.7,
    (Outcome.NOT_QUALIFYING, RoSH.NOT_KNOWN): 0.3,
}
VERY_HIGH_SHARE = 0.25  # of the high-or-very-high cases; the inspection does not split them
# 38% community supervision (plus the 1% the four printed shares leave), split 60/40 between
# community orders and suspended sentence orders.
SUPERVISION_MIX = {
    SupervisionType.LICENCE: 56,
    SupervisionType.COMMUNITY_ORDER: 23.4,
    SupervisionType.SUSPENDED_SENTENCE: 15.6,
    SupervisionType.IPP: 3,
    SupervisionType.LIFE_LICENCE: 2,
}
HIGH_PROFILE_SHARE = 0.14  # of the qualifying cases
DIRECTED_SHARE = 0.2  # of the high-profile cases: the central team directs another provider
# Of the qualifying cases whose trial has ended: 41-49% convicted of a qualifying offence.
COURT_OUTCOME_MIX = {
    CourtOutcome.CONVICTED_QUALIFYING: 45,
    CourtOutcome.CONVICTED_OTHER: 22,
    CourtOutcome.ACQUITTED: 20,
    CourtOutcome.DISCONTINUED: 13,
}
DISCONTINUE_COMMENTS = {
    CourtOutcome.CONVICTED_OTHER: "Convicted of an offence that does not qualify",
    CourtOutcome.ACQUITTED: "Acquitted at trial",
    CourtOutcome.DISCONTINUED: "Charges discontinued by the Crown Prosecution Service",
}
ENDINGS = {
    "reject": "Notification rejected",
    "discontinue": "Review discontinued",
    "close": "Case closed",
}

# How often each offence is charged, relative to the others of its category and rule (1 unless
# named here, by its number in Annexe 1): homicide, robbery and rape dominate the real caseload;
# hijacking ships does not.
OFFENCE_WEIGHTS = {
    1: 35,  # murder
    2: 25,  # attempted murder
    3: 20,  # manslaughter
    4: 10,  # kidnapping
    5: 10,  # false imprisonment
    7: 8,  # attempting to choke
    17: 2,
    18: 5,
    20: 3,
    21: 4,
    22: 20,  # robbery with a firearm
    23: 4,
    24: 15,  # aggravated burglary
    25: 2,
    26: 12,  # arson endangering life
    27: 3,
    33: 6,  # causing death by dangerous driving
    34: 3,
    40: 10,  # threats
    46: 6,
    49: 3,
    51: 6,
    52: 30,  # rape
    53: 12,  # assault by penetration
    54: 8,
    55: 4,
    56: 8,
    57: 6,
    58: 10,  # sexual activity with a child
    59: 5,
    60: 2,
    61: 4,
    62: 2,
    63: 5,
    74: 15,  # causing sexual activity without consent (with penetration)
}

ETHNICITIES = {
    "White British": 70,
    "White other": 7,
    "Black or Black British": 9,
    "Asian or Asian British": 7,
    "Mixed": 4,
    "Other ethnic group": 1,
    "Not stated": 2,
}
COURTS = {
    "North East": ["Newcastle Magistrates' Court", "Teesside Magistrates' Court"],
    "London": ["Westminster Magistrates' Court", "Highbury Corner Magistrates' Court"],
    "Wales": ["Cardiff Magistrates' Court", "Swansea Magistrates' Court"],
    "West Midlands": ["Birmingham Magistrates' Court", "Wolverhampton Magistrates' Court"],
    "North West": ["Manchester Magistrates' Court", "Liverpool Magistrates' Court"],
    "South East": ["Maidstone Magistrates' Court", "Guildford Magistrates' Court"],
}
POLICE_FORCES = {
    "North East": ["Northumbria Police", "Cleveland Police"],
    "London": ["Metropolitan Police Service"],
    "Wales": ["South Wales Police", "Gwent Police"],
    "West Midlands": ["West Midlands Police", "Staffordshire Police"],
    "North West": ["Greater Manchester Police", "Merseyside Police"],
    "South East": ["Kent Police", "Surrey Police", "Sussex Police"],
}


def quota(rng: random.Random, n: int, mix: dict) -> list:
    """n labels in the proportions of `mix` (largest remainder), shuffled: exact shares however
    small n is, in a random order."""
    total = sum(mix.values())
    exact = {label: n * weight / total for label, weight in mix.items()}
    counts = {label: int(share) for label, share in exact.items()}
    by_remainder = sorted(mix, key=lambda label: exact[label] - counts[label], reverse=True)
    for label in by_remainder[: n - sum(counts.values())]:
        counts[label] += 1
    labels = [label for label in mix for _ in range(counts[label])]
    rng.shuffle(labels)
    return labels


def weighted(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def synthetic_cases():
    """The cases this command made: both marks, so that a real CRN starting with S is safe."""
    return Case.objects.filter(
        crn__startswith=CRN_PREFIX,
        transitions__name="identify",
        transitions__comment__contains=MARK,
    )


def given_timestamps():
    """The times of the cases, their clocks and their reviews, kept as given (`given_times`)."""
    return given_times(
        [
            Case._meta.get_field("created_at"),
            CaseTransition._meta.get_field("at"),
            Clock._meta.get_field("created_at"),
            ClockEvent._meta.get_field("at"),
            Review._meta.get_field("created_at"),
            Review._meta.get_field("updated_at"),
            ReviewSection._meta.get_field("updated_at"),
            ChronologyEntry._meta.get_field("created_at"),
            ReviewVersion._meta.get_field("created_at"),
            LocalQACheck._meta.get_field("at"),
        ]
    )


@dataclass
class Staff:
    """The demo users who act on cases: each provider's people by role, and the central team's."""

    providers: dict[str, list[Organisation]]
    people: dict[tuple[int, Role], User]
    central: dict[Role, User]
    teams: dict[int, Team | None]

    def of(self, organisation: Organisation, role: Role) -> User:
        return self.people[(organisation.pk, role)]


@dataclass
class Step:
    name: str
    at: datetime
    by: User
    comment: str = ""


@dataclass
class Plan:
    """One case as it stands now: the row, its charge, its steps so far, and its clocks."""

    case: Case
    charge: ChargedOffence
    steps: list[Step]
    officer: User | None
    category: str
    provider_kind: str
    clocks: list[dict] = field(default_factory=list)
    days: dict[str, date] = field(default_factory=dict)  # the planned day of each later step
    content_seed: int = 0  # the review's own random stream (`_review_content`)


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic national dataset of SFO cases in the 2018/19 mix "
        "(run after load_demo_data; never in production)."
    )

    def add_arguments(self, parser):
        last_full_year = timezone.localdate().year - 1
        parser.add_argument(
            "--years",
            type=int,
            nargs="+",
            default=[last_full_year - 1, last_full_year],
            help="Years of the first court hearings (default: the last two full years)",
        )
        parser.add_argument(
            "--per-year", type=int, default=577, help="Cases per year (577 in 2018/19)"
        )
        parser.add_argument("--seed", type=int, default=2018, help="Random seed (default 2018)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic cases made earlier (with their clocks and transitions)",
        )

    def handle(self, *args, years, per_year, seed, replace, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Synthetic data is refused in these settings (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        years = sorted(set(years))
        self.today = timezone.localdate()
        self.now = timezone.now()
        if not 1 <= per_year <= 9999:
            raise CommandError("--per-year must be between 1 and 9999 (four digits of the CRN).")
        if years[0] < 2000 or years[-1] > self.today.year:
            raise CommandError(f"Choose years from 2000 to {self.today.year}.")
        self.calendar = WorkingCalendar.current()
        self.policies: dict[tuple[str, date], ClockPolicy] = {}
        self.check_policies(date(years[0], 1, 1))
        staff = self.load_staff()
        offences = self.load_offences()
        with transaction.atomic():
            # Check each foreign key as its statement ends, not all at commit: Postgres queues a
            # deferred check per row, and the queue slowed the later bulk inserts tenfold (a
            # 23,000-clock insert took 20 s behind 100,000 queued checks, 1 s without them).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if synthetic_cases().exists():
                if not replace:
                    raise CommandError(
                        "Synthetic cases exist already: pass --replace to delete them first."
                    )
                earlier = list(synthetic_cases().values_list("pk", flat=True))
                # Their redacted copies, agencies and victims' records first (a copy, an extract
                # and a disclosure pack refer to a version), then their QA (it refers to the
                # versions), then their reviews: the versions are immutable, and only this may
                # delete them.
                deleted = delete_learning_redactions(earlier)
                deleted += delete_agencies(earlier)
                deleted += delete_victims(earlier)
                deleted += delete_qa(earlier)
                deleted += delete_reviews(earlier)
                deleted += Case.objects.filter(pk__in=earlier).delete()[0]
                self.stdout.write(f"Deleted the earlier synthetic cases ({deleted} rows).")
            master = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
            plans = []
            for year in years:
                plans += self.plan_year(master, year, per_year, staff, offences, seed)
            reviews = ReviewContent(seed=seed, staff=staff, today=self.today)
            reviews.plan(plans)
            generated = time.perf_counter()
            self.give_references(plans)
            with given_timestamps():
                self.write(plans)
                self.written.update(reviews.write(batch=1000))
                # Central QA of the submitted reviews and an independent sample. The reviews app
                # imports qa nowhere at module level (reviews -> qa -> victims); `_qa_content`
                # imports it inside the functions that write QA data, as this command builds the
                # whole national dataset.
                qa = QAContent(
                    seed=seed, staff=staff, reviews=reviews, today=self.today, now=self.now
                )
                self.written.update(qa.write(plans, batch=1000))
                # Victims and families, their entitlement and their requests; like `_qa_content`,
                # `_victim_content` imports victims only inside its functions.
                victims = VictimContent(
                    seed=seed,
                    staff=staff,
                    today=self.today,
                    now=self.now,
                    calendar=self.calendar,
                    policy=self.policy,
                )
                self.written.update(victims.write(plans, batch=1000))
                # The learning: themes on findings and actions, the other agencies of each case
                # and its parallel reviews, and the redacted copies shared with the staff
                # involved, with their responses.
                themes = ThemeContent(seed=seed)
                self.written.update(themes.write(plans, batch=1000))
                agencies = AgencyContent(seed=seed, today=self.today)
                self.written.update(agencies.write(plans, batch=1000))
                learning = LearningRedactionContent(seed=seed, now=self.now)
                self.written.update(learning.write(plans, batch=1000))
        self.review_summary = (
            reviews.summary()
            + qa.summary()
            + victims.summary()
            + themes.summary()
            + agencies.summary()
            + learning.summary()
        )
        self.summarise(plans, generated - started, time.perf_counter() - generated)

    # --- What must exist first ----------------------------------------------------------------

    def check_policies(self, first_day: date) -> None:
        for kind in ClockKind:
            if ClockPolicy.applying_to(kind, first_day) is None:
                earliest = (
                    ClockPolicy.objects.filter(kind=kind)
                    .order_by("effective_from")
                    .values_list("effective_from", flat=True)
                    .first()
                )
                raise CommandError(
                    f"No {kind.label.lower()} clock policy is in force on {first_day:%-d %B %Y}"
                    + (
                        f": the first applies from {earliest:%-d %B %Y}; choose later years."
                        if earliest
                        else ": run migrate, which loads the clock policies."
                    )
                )

    def load_staff(self) -> Staff:
        """The demo's active providers and the users who act for them; refused without them."""
        wanted = [spec for spec in ORGANISATIONS if spec.active]
        organisations = {o.code: o for o in Organisation.objects.filter(active=True)}
        usernames = {
            username(role, spec.code): (spec.code, role)
            for spec in wanted
            for role in (PROVIDER_ROLES if spec.kind in PROVIDER_KIND_MIX else CENTRAL_ROLES)
            if spec.kind != OrganisationKind.INDEPENDENT_BODY
        }
        users = {
            user.username: user
            for user in User.objects.filter(username__in=usernames, is_active=True)
        }
        missing = sorted({spec.code for spec in wanted} - set(organisations)) + sorted(
            set(usernames) - set(users)
        )
        if missing:
            raise CommandError(
                "The demo organisations and users are missing ("
                + ", ".join(missing[:5])
                + (", …" if len(missing) > 5 else "")
                + "): run `manage.py load_demo_data` first."
            )
        providers: dict[str, list[Organisation]] = {kind: [] for kind in PROVIDER_KIND_MIX}
        people, central = {}, {}
        for spec in wanted:
            organisation = organisations[spec.code]
            if spec.kind in PROVIDER_KIND_MIX:
                providers[spec.kind].append(organisation)
        for name, (code, role) in usernames.items():
            if role in CENTRAL_ROLES:
                central[role] = users[name]
            else:
                people[(organisations[code].pk, role)] = users[name]
        teams = {
            team.organisation_id: team for team in Team.objects.filter(name="Offender management")
        }
        return Staff(providers, people, central, teams)

    def load_offences(self) -> dict[tuple[str, str], list[tuple[Offence, dict]]]:
        """The active catalogue, grouped by (category, how the charge qualifies), each offence
        with the facts that make it qualify that way."""
        groups: dict[tuple[str, str], list[tuple[Offence, dict]]] = {}
        for offence in Offence.objects.filter(active=True):
            facts = {
                "firearm_used": offence.precondition == Precondition.FIREARM,
                "penetration": offence.precondition == Precondition.PENETRATION,
            }
            if offence.rule in (Rule.AUTOMATIC, Rule.AUTOMATIC_IF_VICTIM_UNDER_13):
                under_13 = offence.rule == Rule.AUTOMATIC_IF_VICTIM_UNDER_13
                groups.setdefault((offence.category, Outcome.AUTOMATIC), []).append(
                    (offence, {**facts, "victim_under_13": under_13})
                )
            if offence.rule in (Rule.CONDITIONAL, Rule.AUTOMATIC_IF_VICTIM_UNDER_13):
                groups.setdefault((offence.category, Outcome.CONDITIONAL), []).append(
                    (offence, {**facts, "victim_under_13": False})
                )
        for category in Category:
            for how in (Outcome.AUTOMATIC, Outcome.CONDITIONAL):
                if not groups.get((category, how)):
                    raise CommandError(
                        f"The catalogue has no active {category.label.lower()} offence that "
                        f"qualifies as {how.label.lower()}."
                    )
        return groups

    # --- Planning the cases -------------------------------------------------------------------

    def policy(self, kind: str, on: date) -> ClockPolicy:
        """The policy a clock starting on `on` would get from the services (memoised per day)."""
        key = (kind, on)
        if key not in self.policies:
            policy = ClockPolicy.applying_to(kind, on)
            if policy is None:  # pragma: no cover - check_policies refuses this earlier
                raise CommandError(f"No {kind} clock policy is in force on {on}.")
            self.policies[key] = policy
        return self.policies[key]

    def plan_year(self, master, year, n, staff, offences, seed) -> list[Plan]:
        """The year's cases: each share as an exact quota, then one case at a time."""
        kinds = quota(master, n, PROVIDER_KIND_MIX)
        categories = quota(master, n, CATEGORY_MIX)
        qualifications = quota(master, n, QUALIFICATION_ROSH_MIX)
        supervisions = quota(master, n, SUPERVISION_MIX)
        qualifying = sum(1 for how, _ in qualifications if how != Outcome.NOT_QUALIFYING)
        high_profile = quota(
            master, qualifying, {True: HIGH_PROFILE_SHARE, False: 1 - HIGH_PROFILE_SHARE}
        )
        outcomes = quota(master, qualifying, COURT_OUTCOME_MIX)
        case_seeds = [master.getrandbits(64) for _ in range(n)]
        # First hearings spread over the year's working days, up to yesterday this year.
        first = date(year, 1, 1)
        last = min(date(year, 12, 31), self.today - timedelta(days=1))
        if last < first:
            raise CommandError(f"{year} has no past days yet.")
        plans = []
        for index in range(n):
            rng = random.Random(case_seeds[index])  # noqa: S311
            hearing = first + timedelta(days=int(rng.random() * ((last - first).days + 1)))
            while not self.calendar.is_working_day(hearing) and hearing < last:
                hearing += timedelta(days=1)
            while not self.calendar.is_working_day(hearing) and hearing > first:
                hearing -= timedelta(days=1)
            how, rosh = qualifications[index]
            extra = {}
            if how != Outcome.NOT_QUALIFYING:
                extra = {"high_profile": high_profile.pop(), "outcome": outcomes.pop()}
            plans.append(
                self.plan_case(
                    rng,
                    crn=f"{CRN_PREFIX}{year % 100:02d}{index + 1:04d}",
                    hearing=hearing,
                    kind=kinds[index],
                    category=categories[index],
                    how=how,
                    rosh=rosh,
                    supervision=supervisions[index],
                    staff=staff,
                    offences=offences,
                    seed=seed,
                    **extra,
                )
            )
        return plans

    def day_after(self, rng, day: date, low: int, high: int, late=(0.0, 0, 0)) -> date:
        """A working day `low` to `high` working days after `day`; with probability late[0], one
        late[1] to late[2] working days after it instead (the long tail of late work)."""
        chance, late_low, late_high = late
        if rng.random() < chance:
            return self.calendar.add_working_days(day, rng.randint(late_low, late_high))
        return self.calendar.add_working_days(day, rng.randint(low, high))

    @staticmethod
    def stamp(rng, day: date) -> datetime:
        minutes = rng.randint(9 * 60, 17 * 60 + 30)
        return timezone.make_aware(datetime.combine(day, clock_time(minutes // 60, minutes % 60)))

    def plan_case(
        self,
        rng,
        *,
        crn,
        hearing,
        kind,
        category,
        how,
        rosh,
        supervision,
        staff,
        offences,
        seed,
        high_profile=False,
        outcome=CourtOutcome.PENDING,
    ) -> Plan:
        provider = rng.choice(staff.providers[kind])
        reviewing = None
        if high_profile and rng.random() < DIRECTED_SHARE:
            others = [
                o for o in staff.providers[OrganisationKind.PROBATION_DIVISION] if o != provider
            ]
            reviewing = rng.choice(others)
        reviewer_org = reviewing or provider
        group = offences[(category, Outcome.CONDITIONAL if how != Outcome.AUTOMATIC else how)]
        offence, facts = rng.choices(
            group, weights=[OFFENCE_WEIGHTS.get(o.number, 1) for o, _ in group]
        )[0]
        form = ""
        if offence.number != 2 and rng.random() < 0.04:
            form = rng.choice(["attempt", "conspiracy"])
        if rosh == "high":
            rosh = RoSH.VERY_HIGH if rng.random() < VERY_HIGH_SHARE else RoSH.HIGH
        lower = {RoSH.VERY_HIGH: RoSH.HIGH, RoSH.HIGH: RoSH.MEDIUM, RoSH.MEDIUM: RoSH.LOW}
        rosh_at_offence = lower.get(rosh, rosh) if rng.random() < 0.3 else rosh
        area = provider.area if provider.area in COURTS else "London"
        age = rng.choice([rng.randint(18, 30), rng.randint(25, 45), rng.randint(35, 70)])
        date_of_birth = hearing - timedelta(days=age * 365 + rng.randint(0, 364))
        charge_date = hearing - timedelta(days=rng.randint(0, 2))
        offence_date = charge_date - timedelta(days=rng.choice([0, 0, 1, 2, rng.randint(3, 30)]))
        indeterminate = supervision in (SupervisionType.IPP, SupervisionType.LIFE_LICENCE)
        supervision_start = offence_date - timedelta(days=rng.randint(20, 900))
        supervision_end = None
        if not indeterminate:
            supervision_end = max(
                supervision_start + timedelta(days=rng.randint(365, 4 * 365)),
                hearing + timedelta(days=rng.randint(30, 400)),
            )
        if category == Category.SEXUAL:
            mappa = MappaCategory.CATEGORY_1 if rng.random() < 0.8 else MappaCategory.NONE
        else:
            mappa = MappaCategory.CATEGORY_2 if rng.random() < 0.5 else MappaCategory.NONE
        level = "" if mappa == MappaCategory.NONE else weighted(rng, {"1": 70, "2": 25, "3": 5})
        fields = {
            "crn": crn,
            "person_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "first_hearing_date": hearing,
            "managing_provider": provider,
            "identified_by": staff.of(provider, Role.SFO_REVIEWER),
            "pnc_number": f"{rng.randint(date_of_birth.year + 14, hearing.year)}/"
            f"{rng.randint(1, 9_999_999):07d}{chr(ord('A') + rng.randint(0, 25))}",
            "date_of_birth": date_of_birth,
            "gender": weighted(rng, {Gender.MALE: 92, Gender.FEMALE: 7, Gender.OTHER: 1}),
            "ethnicity": weighted(rng, ETHNICITIES),
            "supervision_type": supervision,
            "supervision_start": supervision_start,
            "supervision_end": supervision_end,
            "managing_team": staff.teams.get(provider.pk),
            "rosh_at_offence": rosh_at_offence,
            "highest_rosh": rosh,
            "mappa_category": mappa,
            "mappa_level": level,
            "iom": rng.random() < 0.1,
            "offence_date": offence_date,
            "charge_date": charge_date,
            "court": rng.choice(COURTS[area]),
            "police_force": rng.choice(POLICE_FORCES[area]),
        }
        fields["qualification"], fields["qualification_reason"] = qualification_of(
            Case(highest_rosh=rosh), [ChargedOffenceFacts(offence=offence, form=form, **facts)]
        )
        # The trial: 3 to 18 months after the first hearing, with a few early ends.
        trial_ends = hearing + timedelta(
            days=rng.randint(20, 90) if rng.random() < 0.15 else rng.randint(90, 540)
        )

        # The journey the case would take, step by step, before cutting it at now.
        identified_at = self.stamp(rng, hearing)
        notify_day = self.day_after(rng, hearing, 2, 10, late=(0.12, 11, 25))
        early_look_day = self.day_after(rng, hearing, 4, 10, late=(0.15, 11, 30))
        decide_day = self.day_after(rng, notify_day, 1, 5, late=(0.1, 6, 20))
        allocate_day = self.day_after(rng, decide_day, 1, 8)
        local_qa_day = self.day_after(rng, notify_day, 45, 66, late=(0.3, 67, 130))
        pass_day = self.day_after(rng, local_qa_day, 3, 15)
        submit_day = self.day_after(rng, pass_day, 2, 10, late=(0.1, 11, 30))
        take_day = self.day_after(rng, submit_day, 2, 20, late=(0.3, 21, 90))
        feedback_day = self.day_after(rng, take_day, 3, 15, late=(0.3, 16, 100))
        close_day = self.day_after(rng, feedback_day, 20, 120, late=(0.2, 121, 400))
        returned = rng.random() < 0.2
        central = staff.central
        registrar = central[Role.CENTRAL_QA_MANAGER if high_profile else Role.CENTRAL_QA_REVIEWER]

        def by(name: str, organisation=reviewer_org) -> User:
            role = MAKER[name]
            return central[role] if role in CENTRAL_ROLES else staff.of(organisation, role)

        steps = [
            Step(
                "identify",
                identified_at,
                fields["identified_by"],
                f"Identified at the first court hearing ({MARK}, seed {seed})",
            ),
            Step("notify", self.stamp(rng, notify_day), by("notify", provider)),
        ]
        decided_at = self.stamp(rng, decide_day)
        if how == Outcome.NOT_QUALIFYING:
            steps.append(Step("reject", decided_at, by("reject"), fields["qualification_reason"]))
            outcome = CourtOutcome.PENDING
        else:
            comment = ""
            if high_profile:
                comment = "High-profile: ministers are kept informed."
                if reviewing:
                    comment += f" {reviewing} reviews it, away from the case's line management."
            steps.append(Step("register", decided_at, registrar, comment))
            later = [
                ("allocate", allocate_day),
                ("send_to_local_qa", local_qa_day),
                ("pass_local_qa", pass_day),
                ("countersign_and_submit", submit_day),
                ("take_for_qa", take_day),
            ]
            # A trial that ends without a qualifying conviction before the review is submitted
            # ends the review: the central QA manager agrees to discontinue it.
            discontinue_day = max(
                self.day_after(rng, trial_ends, 1, 15),
                self.calendar.add_working_days(decide_day, 1),
            )
            ends_review = outcome in DISCONTINUE_COMMENTS and discontinue_day < submit_day
            if ends_review and discontinue_day <= self.today:
                later = [("discontinue", discontinue_day)]
            elif returned and (self.today - feedback_day).days < 120:
                later.append(("return_for_amendments", feedback_day))
            else:
                later += [("complete_qa", feedback_day), ("close", close_day)]
            for name, day in later:
                comment = DISCONTINUE_COMMENTS[outcome] if name == "discontinue" else ""
                steps.append(Step(name, self.stamp(rng, day), by(name), comment))
        steps = [step for step in steps if step.at <= self.now]
        if trial_ends > self.today:
            outcome = CourtOutcome.PENDING

        state = TRANSITIONS[steps[-1].name].target if len(steps) > 1 else S.IDENTIFIED
        names = [step.name for step in steps[1:]]
        if names != PATHS[state]:  # pragma: no cover - a mistake in the journey above
            raise AssertionError(f"{crn}: {names} is not the path to {state}")
        reached = {step.name: step for step in steps}
        charge = ChargedOffence(offence=offence, form=form, **facts)
        if state == S.IDENTIFIED:
            # Only the minimal facts of the first hearing: the notification is not written yet.
            keep = (
                "crn",
                "person_name",
                "first_hearing_date",
                "managing_provider",
                "identified_by",
            )
            fields = {name: fields[name] for name in keep}
            charge = ChargedOffence(offence=offence)
        case = Case(state=state, created_at=identified_at, **fields)
        if "register" in reached:
            case.high_profile, case.reviewing_provider = high_profile, reviewing
        if "notify" in reached:
            case.notified_at = reached["notify"].at
        if "register" in reached:
            case.registered_at = reached["register"].at
        if "reject" in reached:
            case.rejection_reason = reached["reject"].comment
        if "allocate" in reached:
            case.reviewer = staff.of(reviewer_org, Role.SFO_REVIEWER)
        if outcome != CourtOutcome.PENDING:
            case.court_outcome, case.court_outcome_date = outcome, trial_ends
        plan = Plan(
            case=case,
            charge=charge,
            steps=steps,
            officer=staff.of(provider, Role.RESPONSIBLE_OFFICER) if "notify" in reached else None,
            category=category,
            provider_kind=kind,
        )
        plan.clocks = self.clocks_for(plan, early_look_day, rng)
        plan.days = {
            "allocate": allocate_day,
            "send_to_local_qa": local_qa_day,
            "countersign_and_submit": submit_day,
        }
        # Drawn last, so that the review's content never shifts the case's own draws.
        plan.content_seed = rng.getrandbits(64)
        return plan

    def clocks_for(self, plan: Plan, early_look_day: date, rng) -> list[dict]:
        """The clocks `reviews.clock_hooks` would have left after these steps, with their events:
        each started under the policy in force on its start date, met or cancelled on the day of
        the step that met or ended it."""
        clocks: list[dict] = []
        open_clocks: dict[str, dict] = {}

        def start(kind, step: Step, on: date):
            policy = self.policy(kind, on)
            due = policy.due_from(on, self.calendar)
            clock = {
                "kind": kind,
                "policy": policy,
                "started_on": on,
                "due_on": due,
                "status": "running",
                "met_on": None,
                "created_at": step.at,
                "events": [(ClockEventKind.STARTED, on, step.by, step.at, None, policy.anchor)],
            }
            clocks.append(clock)
            open_clocks[kind] = clock

        def end(kind, step: Step, status: str, reason: str = ""):
            clock = open_clocks.pop(kind, None)
            if clock is None:
                return
            on = timezone.localtime(step.at).date()
            clock["status"] = status
            clock["met_on"] = on if status == "met" else None
            event = ClockEventKind.MET if status == "met" else ClockEventKind.CANCELLED
            clock["events"].append((event, on, step.by, step.at, clock["due_on"], reason))

        events = list(plan.steps)
        early_look_at = self.stamp(rng, early_look_day)
        if early_look_at <= self.now:
            events.append(Step("early_look", early_look_at, plan.case.identified_by))
            events.sort(key=lambda step: step.at)
        for step in events:
            day = timezone.localtime(step.at).date()
            if step.name == "identify":
                start(ClockKind.NOTIFICATION, step, plan.case.first_hearing_date)
                start(ClockKind.EARLY_LOOK, step, plan.case.first_hearing_date)
            elif step.name == "early_look":
                end(ClockKind.EARLY_LOOK, step, "met")
            elif step.name == "notify":
                end(ClockKind.NOTIFICATION, step, "met")
                start(ClockKind.REVIEW, step, day)
            elif step.name == "countersign_and_submit":
                end(ClockKind.REVIEW, step, "met")
                start(ClockKind.CENTRAL_QA, step, day)
            elif step.name in ("complete_qa", "return_for_amendments"):
                end(ClockKind.CENTRAL_QA, step, "met")
            elif step.name in ENDINGS:
                for kind in list(open_clocks):
                    end(kind, step, "cancelled", ENDINGS[step.name])
        return clocks

    # --- Writing ------------------------------------------------------------------------------

    def give_references(self, plans: list[Plan]) -> None:
        """SFO-YYYY-NNNN for every registered case, numbered in the order of registration within
        the year of registration, after the year's counter (locked, as `next_reference` locks
        it) and after any reference already given; the counter moves past them."""
        by_year: dict[int, list[Case]] = {}
        for plan in plans:
            if plan.case.registered_at:
                year = timezone.localtime(plan.case.registered_at).year
                by_year.setdefault(year, []).append(plan.case)
        for year, cases in sorted(by_year.items()):
            counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
            highest = Case.objects.filter(reference__startswith=f"SFO-{year}-").aggregate(
                highest=Max("reference")
            )["highest"]
            last = max(counter.last, int(highest.rsplit("-", 1)[1]) if highest else 0)
            if last + len(cases) > 9999:
                raise CommandError(f"More than 9,999 registrations in {year}: too many cases.")
            for number, case in enumerate(sorted(cases, key=lambda c: c.registered_at), last + 1):
                case.reference = f"SFO-{year}-{number:04d}"
            counter.last = last + len(cases)
            counter.save(update_fields=["last"])

    def write(self, plans: list[Plan]) -> None:
        batch = 1000
        Case.objects.bulk_create([plan.case for plan in plans], batch_size=batch)
        charges, transitions, periods, clocks, events = [], [], [], [], []
        for plan in plans:
            case = plan.case
            plan.charge.case = case
            charges.append(plan.charge)
            state = ""
            for step in plan.steps:
                target = S.IDENTIFIED if step.name == "identify" else TRANSITIONS[step.name].target
                transitions.append(
                    CaseTransition(
                        case=case,
                        name=step.name,
                        from_state=state,
                        to_state=target,
                        by=step.by,
                        at=step.at,
                        comment=step.comment,
                    )
                )
                state = target
            if plan.officer is not None:
                periods.append(
                    ResponsibleOfficerPeriod(
                        case=case, officer=plan.officer, started_on=case.supervision_start
                    )
                )
            for spec in plan.clocks:
                clock = Clock(
                    case=case,
                    kind=spec["kind"],
                    sequence=1,
                    policy=spec["policy"],
                    status=spec["status"],
                    started_on=spec["started_on"],
                    due_on=spec["due_on"],
                    met_on=spec["met_on"],
                    created_at=spec["created_at"],
                )
                clocks.append(clock)
                for kind, on, by, at, before, reason in spec["events"]:
                    events.append(
                        ClockEvent(
                            clock=clock,
                            kind=kind,
                            on=on,
                            by=by,
                            at=at,
                            due_on_before=before,
                            due_on_after=spec["due_on"],
                            reason=reason,
                        )
                    )
        ChargedOffence.objects.bulk_create(charges, batch_size=batch)
        CaseTransition.objects.bulk_create(transitions, batch_size=batch)
        ResponsibleOfficerPeriod.objects.bulk_create(periods, batch_size=batch)
        Clock.objects.bulk_create(clocks, batch_size=batch)
        for event in events:
            event.clock_id = event.clock.pk
        ClockEvent.objects.bulk_create(events, batch_size=batch)
        self.written = {
            "cases": len(plans),
            "charged offences": len(charges),
            "transitions": len(transitions),
            "officer periods": len(periods),
            "clocks": len(clocks),
            "clock events": len(events),
        }

    # --- Summary ------------------------------------------------------------------------------

    def summarise(self, plans: list[Plan], planning: float, writing: float) -> None:
        n = len(plans)
        out = self.stdout.write

        def share(count: int, of: int) -> str:
            return f"{100 * count / of:5.1f}%" if of else "  n/a"

        out(f"Synthetic national dataset: {n} cases")
        out("  " + ", ".join(f"{count} {name}" for name, count in self.written.items()))
        states = Counter(plan.case.state for plan in plans)
        out("By state:")
        for state in S:
            if states[state]:
                out(f"  {state.label:<28} {states[state]:6d}  {share(states[state], n)}")
        kinds = Counter(plan.provider_kind for plan in plans)
        out("By provider kind:")
        for kind, count in kinds.most_common():
            out(f"  {OrganisationKind(kind).label:<50} {count:6d}  {share(count, n)}")
        categories = Counter(plan.category for plan in plans)
        out(
            "Offence category: "
            + ", ".join(f"{Category(c).label.lower()} {share(k, n)}" for c, k in categories.items())
        )
        notified = [plan.case for plan in plans if plan.case.qualification]
        automatic = sum(1 for case in notified if case.qualification == Outcome.AUTOMATIC)
        out(f"Automatically qualifying: {share(automatic, len(notified))} of the notified cases")
        registered = [plan.case for plan in plans if plan.case.reference]
        high = sum(1 for case in registered if case.high_profile)
        out(f"High-profile: {share(high, len(registered))} of the registered cases")
        decided = [plan.case for plan in plans if plan.case.court_outcome != CourtOutcome.PENDING]
        convicted = sum(
            1 for case in decided if case.court_outcome == CourtOutcome.CONVICTED_QUALIFYING
        )
        out(f"Convicted of a qualifying offence: {share(convicted, len(decided))} of the outcomes")
        overdue = sum(
            1
            for plan in plans
            for clock in plan.clocks
            if clock["status"] == "running" and clock["due_on"] < self.today
        )
        out(f"Running clocks overdue: {overdue}")
        for line in self.review_summary:
            out(line)
        out(
            f"Time: {planning:.1f} s to delete and plan, {writing:.1f} s to write, "
            f"{planning + writing:.1f} s in all"
        )
