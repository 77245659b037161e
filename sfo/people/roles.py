"""The roles of the service, each a Django group with the permissions it grants.

A role says what kind of work a person does; the organisation they belong to says whose cases it is
done on. The access rules in `sfo.access` combine the two."""

from django.db import models


class Role(models.TextChoices):
    SFO_REVIEWER = "sfo_reviewer", "SFO reviewer"
    SFO_REVIEW_MANAGER = "sfo_review_manager", "SFO review manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    RESPONSIBLE_OFFICER = "responsible_officer", "Responsible officer"
    VICTIM_LIAISON_OFFICER = "victim_liaison_officer", "Victim liaison officer"
    CENTRAL_QA_REVIEWER = "central_qa_reviewer", "Central QA reviewer"
    CENTRAL_QA_MANAGER = "central_qa_manager", "Central QA manager"
    INDEPENDENT_ASSESSOR = "independent_assessor", "Independent QA assessor"
    ANALYST = "analyst", "Analyst"
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    ADMINISTRATOR = "administrator", "Administrator"


PROVIDER_ROLES = frozenset(
    {
        Role.SFO_REVIEWER,
        Role.SFO_REVIEW_MANAGER,
        Role.SENIOR_MANAGER,
        Role.RESPONSIBLE_OFFICER,
        Role.VICTIM_LIAISON_OFFICER,
    }
)
CENTRAL_QA_ROLES = frozenset({Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER})
READ_ONLY_NATIONAL_ROLES = frozenset({Role.ANALYST, Role.CHIEF_OFFICER})
ALL_ROLES = frozenset(Role)

# What each role may do, as Django permissions "app_label.codename". Later features add theirs here
# and the groups follow on the next migrate.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SFO_REVIEWER: ["reviews.view_case"],
    Role.SFO_REVIEW_MANAGER: ["reviews.view_case"],
    Role.SENIOR_MANAGER: ["reviews.view_case", "victims.view_victim"],
    Role.RESPONSIBLE_OFFICER: ["reviews.view_case"],
    Role.VICTIM_LIAISON_OFFICER: ["reviews.view_case", "victims.view_victim"],
    Role.CENTRAL_QA_REVIEWER: ["reviews.view_case", "victims.view_victim"],
    Role.CENTRAL_QA_MANAGER: ["reviews.view_case", "victims.view_victim"],
    Role.INDEPENDENT_ASSESSOR: ["reviews.view_case"],
    Role.ANALYST: ["reviews.view_case"],
    Role.CHIEF_OFFICER: ["reviews.view_case"],
    Role.ADMINISTRATOR: [
        "people.add_user",
        "people.change_user",
        "people.view_user",
        "people.add_organisation",
        "people.change_organisation",
        "people.view_organisation",
        "people.add_team",
        "people.change_team",
        "people.view_team",
        "audit.view_accessrecord",
        # Lockouts: administrators see them and can lift one by deleting the attempt.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        # The offence catalogue: rules are edited as data; offences are retired, never deleted.
        "offences.view_offence",
        "offences.add_offence",
        "offences.change_offence",
        # Clock policies, thresholds and one-off holidays: superseded or corrected, never deleted.
        "clocks.view_clockpolicy",
        "clocks.add_clockpolicy",
        "clocks.change_clockpolicy",
        "clocks.view_thresholdpolicy",
        "clocks.add_thresholdpolicy",
        "clocks.change_thresholdpolicy",
        "clocks.view_extranonworkingday",
        "clocks.add_extranonworkingday",
        "clocks.change_extranonworkingday",
        # QA standards: a version in use or published is read-only; new ones are drawn from it.
        # Questions are deleted only from a draft version; versions are never deleted.
        "reviews.view_standardset",
        "reviews.add_standardset",
        "reviews.change_standardset",
        "reviews.view_standard",
        "reviews.add_standard",
        "reviews.change_standard",
        "reviews.delete_standard",
        # The glossary of acronyms is kept up to date; the review coach's thresholds are
        # superseded by a later policy, never deleted.
        "reviews.view_glossaryterm",
        "reviews.add_glossaryterm",
        "reviews.change_glossaryterm",
        "reviews.delete_glossaryterm",
        "reviews.view_coachpolicy",
        "reviews.add_coachpolicy",
        "reviews.change_coachpolicy",
        # Rating scales: a scale any rating used is read-only and never deleted (a new one is
        # added); levels are deleted only from a scale not yet used. The mapping between the
        # independent and the central scale is redefined at will.
        "qa.view_ratingscale",
        "qa.add_ratingscale",
        "qa.change_ratingscale",
        "qa.view_ratinglevel",
        "qa.add_ratinglevel",
        "qa.change_ratinglevel",
        "qa.delete_ratinglevel",
        "qa.view_scalemapping",
        "qa.add_scalemapping",
        "qa.change_scalemapping",
        "qa.delete_scalemapping",
        # The themes' taxonomy: themes are added and retired, never deleted (tags keep them).
        "reviews.view_theme",
        "reviews.add_theme",
        "reviews.change_theme",
        # The register of other agencies: added and retired, never deleted (involvements keep
        # them).
        "agencies.view_agency",
        "agencies.add_agency",
        "agencies.change_agency",
    ],
}


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create one group per role and give it exactly the permissions ROLE_PERMISSIONS lists.

    Runs after every migrate, so the groups in the database never drift from this file."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    apps = kwargs.get("apps") or global_apps
    # Wait for the last app's signal: by then every app's permissions exist.
    if sender is not None and sender.label != list(global_apps.get_app_configs())[-1].label:
        return
    try:
        apps.get_model("people", "User")
    except LookupError:
        return
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
