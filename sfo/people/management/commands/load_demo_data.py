"""Load the demo organisations, teams, one login per role per organisation, and a few cases, one
of them with victims and family members for the demo's victim liaison officer to work with.

Safe to run again: it updates what is there. Refused in production settings."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from offences.catalogue import load_catalogue
from offences.models import Offence
from offences.qualification import Outcome as Qualification
from qa.defaults import seed as seed_rating_scales
from qa.sampling import draw_sample
from reviews.defaults import seed as seed_review_defaults
from reviews.defaults import seed_standards as seed_qa_standards
from reviews.early_look import Action, save_early_look, submit_early_look
from reviews.journeys import PATHS, advance
from reviews.models import Case, CourtOutcome, Recommendation
from reviews.services import identify_case, record_court_outcome, register_case
from reviews.workflow import CaseState
from sfo.alerts.defaults import seed as seed_alert_policy
from sfo.clocks.defaults import seed as seed_default_policies
from sfo.people.demo import CENTRAL_ROLES, DEMO_PASSWORD, ORGANISATIONS, roles_for, username
from sfo.people.models import Organisation, Team, User
from sfo.people.roles import PROVIDER_ROLES, Role
from victims import services as victim_services
from victims.models import ContactMethod, ContactOutcome, Relationship, VCSChoice, Victim

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Priya",
    "Tom",
    "Aisha",
    "Gareth",
    "Niamh",
    "Kwame",
    "Ruth",
    "Imran",
    "Carys",
    "Daniel",
    "Fatima",
    "Owen",
    "Grace",
    "Mohammed",
    "Ella",
    "Rhys",
    "Zara",
    "Joseph",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Francis",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owusu",
    "Patel",
    "Roberts",
    "Singh",
    "Thomas",
    "Williams",
    "Young",
]

TEAM_FOR_ROLE = {
    Role.SFO_REVIEWER: "SFO review team",
    Role.SFO_REVIEW_MANAGER: "SFO review team",
    Role.SENIOR_MANAGER: "Public protection",
    Role.RESPONSIBLE_OFFICER: "Offender management",
    Role.VICTIM_LIAISON_OFFICER: "Victim contact scheme",
    Role.CENTRAL_QA_REVIEWER: "Quality assurance",
    Role.CENTRAL_QA_MANAGER: "Quality assurance",
    Role.ANALYST: "Analysis and insight",
    Role.CHIEF_OFFICER: "Chief Probation Officer's office",
    Role.ADMINISTRATOR: "Service administration",
    Role.INDEPENDENT_ASSESSOR: "Assessors",
}

# Who manages whom in a provider: the countersigner must sit outside the line management of a case,
# so the senior manager heads the SFO review team but not the offender management team.
LINE_MANAGER_ROLE = {
    Role.SFO_REVIEWER: Role.SFO_REVIEW_MANAGER,
    Role.SFO_REVIEW_MANAGER: Role.SENIOR_MANAGER,
    Role.CENTRAL_QA_REVIEWER: Role.CENTRAL_QA_MANAGER,
}


class Command(BaseCommand):
    help = "Load demo organisations, a login for every role, and a few cases (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--logins-only", action="store_true", help="Only print the logins")
        parser.add_argument("--no-logins", action="store_true", help="Do not print the logins")

    def handle(self, *args, logins_only=False, no_logins=False, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused in these settings (DEMO_DATA_ALLOWED is off).")
        if not logins_only:
            with transaction.atomic():
                # The catalogue comes with the migrations; reload it in case the tables were
                # emptied since (a flushed database), without touching administrators' edits.
                load_catalogue()
                seed_default_policies()
                seed_alert_policy()
                seed_qa_standards()
                seed_review_defaults()
                seed_rating_scales()
                people = self.load_people()
                self.load_cases(people)
        if not no_logins:
            self.print_logins()

    def load_people(self) -> dict[tuple[str, Role], User]:
        groups = {group.name: group for group in Group.objects.all()}
        people: dict[tuple[str, Role], User] = {}
        n = 0
        for spec in ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "kind": spec.kind,
                    "area": spec.area,
                    "active": spec.active,
                },
            )
            for role in roles_for(spec.kind):
                team, _ = Team.objects.get_or_create(
                    organisation=organisation, name=TEAM_FOR_ROLE[role]
                )
                first, last = (
                    FIRST_NAMES[n % len(FIRST_NAMES)],
                    LAST_NAMES[(n * 7) % len(LAST_NAMES)],
                )
                n += 1
                user, created = User.objects.update_or_create(
                    username=username(role, spec.code),
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "email": f"{username(role, spec.code)}@example.gov.uk",
                        "organisation": organisation,
                        "team": team,
                        "job_title": role.label,
                        "is_active": True,
                    },
                )
                if created or not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                user.groups.set([groups[role.value]])
                people[(spec.code, role)] = user
        for (code, role), user in people.items():
            manager_role = LINE_MANAGER_ROLE.get(role)
            if manager_role and (code, manager_role) in people:
                user.line_manager = people[(code, manager_role)]
                user.save(update_fields=["line_manager"])
        return people

    def load_cases(self, people: dict[tuple[str, Role], User]) -> None:
        """Two cases per provider in each of a run of lifecycle states, so that every state has
        cases and every home page has work; made through the real services, with first hearings
        spread over the last months so that some clocks are overdue. Loaded once: a second run
        leaves existing cases alone."""
        if Case.objects.exists():
            return
        providers = [o for o in Organisation.objects.filter(active=True) if o.is_provider]
        assessor = people[("independent-qa", Role.INDEPENDENT_ASSESSOR)]
        central = {role: people[("hmpps-sfo", role)] for role in CENTRAL_ROLES}
        offences = list(Offence.objects.filter(number__in=[1, 3, 58, 62, 26, 4]).order_by("number"))
        states = list(PATHS)
        today = timezone.localdate()
        n = 0
        for index, provider in enumerate(providers):
            actors = {**central, **{role: people[(provider.code, role)] for role in PROVIDER_ROLES}}
            for slot in range(3):
                state = states[(index * 3 + slot) % len(states)]
                n += 1
                case = identify_case(
                    by=actors[Role.SFO_REVIEWER],
                    crn=f"{chr(ord('A') + index)}{n:06d}",
                    person_name=f"{FIRST_NAMES[(index * 3 + slot) % 20]} "
                    f"{LAST_NAMES[(index * 5 + slot) % 21]}",
                    offence=offences[n % len(offences)],
                    first_hearing_date=today - timedelta(days=3 + 9 * ((index + slot) % 12)),
                )
                case = advance(
                    case, state, actors, offence=offences[n % len(offences)], with_review=True
                )
                if state not in (CaseState.IDENTIFIED, CaseState.NOTIFIED, CaseState.REJECTED):
                    self.submit_early_look(case, actors[Role.SFO_REVIEWER])
                Victim.objects.create(
                    case=case,
                    full_name=f"{FIRST_NAMES[(index + slot * 7) % 20]} "
                    f"{LAST_NAMES[(index * 2 + slot) % 21]}",
                    relationship=Relationship.VICTIM if slot % 2 == 0 else Relationship.FAMILY,
                )
        # One high-profile case directed to another provider, registered by the manager.
        london = Organisation.objects.get(code="nps-london")
        actors = {**central, **{role: people[("nps-london", role)] for role in PROVIDER_ROLES}}
        case = identify_case(
            by=actors[Role.SFO_REVIEWER],
            crn="L900001",
            person_name="Jordan Ellis",
            offence=offences[0],
            first_hearing_date=today - timedelta(days=4),
        )
        case = advance(case, CaseState.NOTIFIED, actors, offence=offences[0])
        register_case(
            case,
            by=central[Role.CENTRAL_QA_MANAGER],
            high_profile=True,
            reviewing_provider=Organisation.objects.get(code="nps-north-east"),
            comment="High-profile: the North East division reviews it, away from London's line.",
        )
        assert london.pk == case.managing_provider_id
        # The independent body's sample of this year's QA-complete reviews, half of each
        # provider's, drawn by the administrator from a fixed seed for the assessor to rate.
        draw_sample(
            by=people[("hmpps-sfo", Role.ADMINISTRATOR)],
            period_start=today.replace(month=1, day=1),
            period_end=today,
            assessors=[assessor],
            proportion=Decimal("0.5"),
            seed=2026,
        )
        self.load_victims(people)
        self.load_learning(people)

    def load_learning(self, people: dict[tuple[str, Role], User]) -> Case | None:
        """The learning of a review that central QA has seen, for its staff: on the first such
        case, a third party's details are withheld, the redacted copy is shared with the officer
        who managed the case, who adds context to a finding; the police are recorded as involved,
        with a request for their records answered and one awaited, and a domestic homicide review
        runs beside it. Made through the services, as the reviewer and the officer would."""
        from agencies import services as agency_services
        from agencies.models import Agency, AgencyKind, ParallelReviewKind
        from reviews import redaction
        from reviews.models import RedactionCategory, Stance, VersionPurpose

        case = (
            Case.objects.filter(
                review__versions__purpose=VersionPurpose.CENTRAL,
                officer_periods__isnull=False,
                reviewer__isnull=False,
            )
            .order_by("crn")
            .distinct()
            .first()
        )
        if case is None:
            return None
        reviewer, today = case.reviewer, timezone.localdate()
        entry = case.review.chronology.order_by("occurred_on", "pk").first()
        if entry is not None:
            redaction.mark_redaction(
                case,
                by=reviewer,
                place=f"chronology:{entry.pk}:event",
                quote="",
                category=RedactionCategory.THIRD_PARTY,
                reason="Names the person's neighbour, who is not part of the review.",
            )
        copy = redaction.share_copy(case, by=reviewer)
        finding = copy.snapshot["findings"][0] if copy.snapshot["findings"] else None
        officer = case.officer_periods.order_by("started_on").first().officer
        if finding is not None:
            redaction.respond_to_finding(
                copy,
                by=officer,
                finding_id=finding["id"],
                stance=Stance.CONTEXT,
                text="I held 62 cases at the time, with two colleagues' cases covered on top.",
            )
        forces = Agency.objects.filter(kind=AgencyKind.POLICE, active=True).order_by("name")
        police = forces.filter(area=case.managing_provider.area).first() or forces.first()
        if police is not None:
            involvement = agency_services.add_involvement(
                case,
                by=reviewer,
                agency=police,
                role="Attended two domestic abuse call-outs at the address; shared the DASH "
                "risk assessment with the probation officer.",
            )
            request = agency_services.record_request(
                involvement,
                by=reviewer,
                asked="Call-out logs and intelligence for the review period.",
                requested_on=today - timedelta(days=20),
                due_on=today - timedelta(days=6),
            )
            agency_services.record_reply(
                request,
                by=reviewer,
                outcome="received",
                received_on=today - timedelta(days=8),
                summary="Call-out logs for both incidents and a summary of intelligence.",
                expected_version=request.version,
            )
            agency_services.record_request(
                involvement,
                by=reviewer,
                asked="An interview with the officer in charge of the second call-out.",
                requested_on=today - timedelta(days=5),
                due_on=today + timedelta(days=9),
            )
        agency_services.add_parallel_review(
            case,
            by=reviewer,
            facts=agency_services.ParallelFacts(
                kind=ParallelReviewKind.DHR,
                lead_body="Community Safety Partnership",
                commissioned_on=today - timedelta(days=30),
                expected_on=today + timedelta(days=150),
                sharing="The SFO review's chronology is shared with the DHR panel, once.",
            ),
        )
        return case

    def load_victims(self, people: dict[tuple[str, Role], User]) -> Case | None:
        """Work for the demo's victim liaison officer (the one the logins list, of the first
        provider): on a case of theirs that QA completed, a qualifying conviction last week opens
        the entitlement tasks of the victim and two family members; the mother, told by
        telephone, asks to see the review (awaiting its vulnerability assessment); the partner
        has not been reached yet. Made through the services, as a VLO and senior manager would."""
        code = next(
            spec.code
            for spec in ORGANISATIONS
            if spec.active and Role.VICTIM_LIAISON_OFFICER in roles_for(spec.kind)
        )
        vlo = people[(code, Role.VICTIM_LIAISON_OFFICER)]
        senior = people[(code, Role.SENIOR_MANAGER)]
        automatic = Q(qualification_override=Qualification.AUTOMATIC) | Q(
            qualification_override="", qualification=Qualification.AUTOMATIC
        )
        candidates = Case.objects.filter(
            automatic,
            managing_provider__code=code,
            reference__isnull=False,
            court_outcome=CourtOutcome.PENDING,
        ).order_by("crn")
        case = (
            candidates.filter(state__in=[CaseState.QA_COMPLETE, CaseState.CLOSED]).first()
            or candidates.exclude(state=CaseState.DISCONTINUED).first()
        )
        if case is None:
            return None
        today = timezone.localdate()
        record_court_outcome(
            case,
            by=senior,
            outcome=CourtOutcome.CONVICTED_QUALIFYING,
            on=today - timedelta(days=7),
        )
        victim = case.victims.filter(relationship=Relationship.VICTIM).first()
        surname = victim.full_name.split()[-1] if victim else LAST_NAMES[0]
        mother = victim_services.add_victim(
            case,
            by=vlo,
            full_name=f"Ruth {surname}",
            relationship=Relationship.FAMILY,
            relationship_to_victim="mother",
            phone="07700 900461",
            preferred_contact=ContactMethod.PHONE,
            vcs_officer=vlo,
        )
        partner = victim_services.add_victim(
            case,
            by=vlo,
            full_name=f"{FIRST_NAMES[13]} {LAST_NAMES[5]}",
            relationship=Relationship.FAMILY,
            relationship_to_victim="partner",
            email="partner@example.com",
            preferred_contact=ContactMethod.EMAIL,
            support_needs="Works shifts: email first, calls after 6pm.",
            vcs_officer=vlo,
        )
        victim_services.record_contact(
            mother,
            by=vlo,
            made_on=today - timedelta(days=3),
            method=ContactMethod.PHONE,
            outcome=ContactOutcome.INFORMED,
            notes="Explained the entitlement to ask for the review; she wants to think about it.",
        )
        victim_services.record_vcs_choice(
            mother, by=vlo, choice=VCSChoice.OPTED_IN, on=today - timedelta(days=3)
        )
        victim_services.record_contact(
            partner,
            by=vlo,
            made_on=today - timedelta(days=2),
            method=ContactMethod.PHONE,
            outcome=ContactOutcome.NO_ANSWER,
        )
        victim_services.record_request(
            mother, by=vlo, requested_on=today - timedelta(days=1), how_made=ContactMethod.PHONE
        )
        return case

    def submit_early_look(self, case: Case, writer: User) -> None:
        """Cases past registration had their early look written and submitted in time."""
        save_early_look(
            case,
            by=writer,
            fields={
                "case_summary": f"{case.person_name} was on licence when charged.",
                "significant_concerns": "Home visits lapsed in the month before the offence.",
                "practice_issues": "Recall was not considered after two missed appointments.",
                "recommendation": Recommendation.AWAIT_OUTCOME,
                "recommendation_reason": "No concern needs a review before the trial.",
            },
            actions=[
                Action(
                    "Audit the team's licence cases for missed visits", "Senior probation officer"
                )
            ],
        )
        submit_early_look(case, by=writer)

    def print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for every one: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'Role':<28} Username")
        self.stdout.write(f"{'-' * 28} {'-' * 40}")
        shown = set()
        for spec in ORGANISATIONS:
            for role in roles_for(spec.kind):
                if role in shown or not spec.active:
                    continue
                shown.add(role)
                self.stdout.write(f"{role.label:<28} {username(role, spec.code)}")
        codes = ", ".join(
            spec.code
            for spec in ORGANISATIONS
            if spec.active and spec.kind.value in ("probation_division", "crc")
        )
        self.stdout.write(
            "\nEvery provider has the same five provider logins: replace the part after the dot "
            f"with one of: {codes}.\n"
        )
