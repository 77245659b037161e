"""Run the clock sweep now (beat runs it hourly): for operators, and for `make run` at start so
that the demo's overdue clocks have their alerts straight away."""

from django.core.management.base import BaseCommand

from sfo.alerts.services import sweep_clocks


class Command(BaseCommand):
    help = "Create today's clock alerts and send their e-mails (idempotent per day)."

    def handle(self, *args, **options):
        result = sweep_clocks()
        self.stdout.write(
            f"Swept {result.clocks} clocks on {result.day}: {result.created} alerts created, "
            f"{result.skipped} already there, {result.emails_sent} e-mails sent."
        )
