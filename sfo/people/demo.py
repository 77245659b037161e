"""The demo organisations and people: the providers the inspection visited, the central team, an
independent QA body, and one login per role per organisation."""

from dataclasses import dataclass

from sfo.people.models import OrganisationKind
from sfo.people.roles import PROVIDER_ROLES, Role

DEMO_PASSWORD = "demo-sfo-2026"


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    name: str
    kind: OrganisationKind
    area: str
    active: bool = True


# The inspection's fieldwork areas (NPS division and CRC in each), its pilot, and the CRC it
# interviewed; plus the central team and an independent QA body.
ORGANISATIONS = [
    DemoOrganisation(
        "nps-north-east", "NPS North East", OrganisationKind.PROBATION_DIVISION, "North East"
    ),
    DemoOrganisation("nps-london", "NPS London", OrganisationKind.PROBATION_DIVISION, "London"),
    DemoOrganisation("nps-wales", "NPS Wales", OrganisationKind.PROBATION_DIVISION, "Wales"),
    DemoOrganisation(
        "nps-west-midlands",
        "NPS West Midlands",
        OrganisationKind.PROBATION_DIVISION,
        "West Midlands",
    ),
    DemoOrganisation(
        "nps-north-west", "NPS North West", OrganisationKind.PROBATION_DIVISION, "North West"
    ),
    DemoOrganisation("northumbria-crc", "Northumbria CRC", OrganisationKind.CRC, "North East"),
    DemoOrganisation("london-crc", "London CRC", OrganisationKind.CRC, "London"),
    DemoOrganisation("wales-crc", "Wales CRC", OrganisationKind.CRC, "Wales", active=False),
    DemoOrganisation(
        "swm-crc", "Staffordshire and West Midlands CRC", OrganisationKind.CRC, "West Midlands"
    ),
    DemoOrganisation("kss-crc", "Kent, Surrey and Sussex CRC", OrganisationKind.CRC, "South East"),
    DemoOrganisation(
        "hmpps-sfo", "HMPPS SFO review team", OrganisationKind.CENTRAL_TEAM, "National"
    ),
    DemoOrganisation(
        "independent-qa",
        "Independent SFO quality assurance panel",
        OrganisationKind.INDEPENDENT_BODY,
        "National",
    ),
]

CENTRAL_ROLES = [
    Role.CENTRAL_QA_REVIEWER,
    Role.CENTRAL_QA_MANAGER,
    Role.ANALYST,
    Role.CHIEF_OFFICER,
    Role.ADMINISTRATOR,
]

# Short names used in the demo usernames, e.g. reviewer.nps-london.
ROLE_SHORT_NAMES = {
    Role.SFO_REVIEWER: "reviewer",
    Role.SFO_REVIEW_MANAGER: "review-manager",
    Role.SENIOR_MANAGER: "senior-manager",
    Role.RESPONSIBLE_OFFICER: "officer",
    Role.VICTIM_LIAISON_OFFICER: "vlo",
    Role.CENTRAL_QA_REVIEWER: "qa-reviewer",
    Role.CENTRAL_QA_MANAGER: "qa-manager",
    Role.INDEPENDENT_ASSESSOR: "assessor",
    Role.ANALYST: "analyst",
    Role.CHIEF_OFFICER: "chief-officer",
    Role.ADMINISTRATOR: "admin",
}


def roles_for(kind: OrganisationKind) -> list[Role]:
    if kind in (OrganisationKind.PROBATION_DIVISION, OrganisationKind.CRC):
        return [role for role in Role if role in PROVIDER_ROLES]
    if kind == OrganisationKind.CENTRAL_TEAM:
        return CENTRAL_ROLES
    return [Role.INDEPENDENT_ASSESSOR]


def username(role: Role, organisation_code: str) -> str:
    return f"{ROLE_SHORT_NAMES[role]}.{organisation_code}"
