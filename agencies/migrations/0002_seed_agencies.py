"""A starting register of agencies: the police forces of the demo providers' areas, and in each
area the generic local services a review most often needs to hear from. Administrators add the
rest in the admin; reviewers add one the register lacks from a case's page."""

from django.db import migrations

AREAS = ["North East", "London", "Wales", "West Midlands", "North West", "South East"]
POLICE = {
    "North East": ["Northumbria Police", "Cleveland Police"],
    "London": ["Metropolitan Police Service"],
    "Wales": ["South Wales Police", "Gwent Police"],
    "West Midlands": ["West Midlands Police", "Staffordshire Police"],
    "North West": ["Greater Manchester Police", "Merseyside Police"],
    "South East": ["Kent Police", "Surrey Police", "Sussex Police"],
}
# (kind, how the area's service is named)
LOCAL = [
    ("childrens_services", "Children's services, {area}"),
    ("adult_social_care", "Adult social care, {area}"),
    ("mental_health", "Mental health trust, {area}"),
    ("health", "GP and hospital services, {area}"),
    ("housing", "Housing services, {area}"),
    ("youth_offending", "Youth offending team, {area}"),
    ("mappa", "MAPPA strategic management board, {area}"),
    ("substance_misuse", "Drug and alcohol service, {area}"),
]
NATIONAL = [
    ("prison", "HMP Durham", "North East"),
    ("prison", "HMP Pentonville", "London"),
    ("prison", "HMP Cardiff", "Wales"),
    ("prison", "HMP Birmingham", "West Midlands"),
    ("prison", "HMP Manchester", "North West"),
    ("prison", "HMP Elmley", "South East"),
    ("other", "Approved premises (HMPPS)", "National"),
]


def rows():
    for area in AREAS:
        for name in POLICE[area]:
            yield "police", name, area
        for kind, pattern in LOCAL:
            yield kind, pattern.format(area=area), area
    yield from NATIONAL


def seed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    for kind, name, area in rows():
        Agency.objects.get_or_create(name=name, defaults={"kind": kind, "area": area})


def unseed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Agency.objects.filter(
        name__in=[name for _, name, _ in rows()], involvements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_agencies")]

    operations = [migrations.RunPython(seed, unseed)]
