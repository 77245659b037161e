"""Bring the catalogue of qualifying offences in line with offences/data/annexe1.json.

Safe to run again: entries are matched by number and only what differs is written. The rules
that administrators have edited are kept unless --reset-rules is given."""

from django.core.management.base import BaseCommand
from django.db import transaction

from offences.catalogue import CATALOGUE_PATH, load_catalogue


class Command(BaseCommand):
    help = "Load the Annexe 1 catalogue of SFO qualifying offences, updating entries by number."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-rules",
            action="store_true",
            help="Also put each rule, its source, the notes and 'active' back as the file has them",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        result = load_catalogue(reset_rules=options["reset_rules"])
        self.stdout.write(
            f"Offence catalogue from {CATALOGUE_PATH.name}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
