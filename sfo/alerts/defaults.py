"""The service's default alert policy, in force from 1 April 2018 like the clocks it watches.
A later change is a new row with a later effective date, added by an administrator."""

from datetime import date

FROM = date(2018, 4, 1)
REMINDER_WORKING_DAYS = 3
SOURCE = "Service default: remind the owner of the next action 3 working days before a deadline"


def seed(alert_policy_model=None) -> None:
    """Create the default alert policy where missing (never changing one an administrator added).
    The data migration passes its historical model; the demo loader passes none."""
    if alert_policy_model is None:
        from sfo.alerts.models import AlertPolicy as alert_policy_model
    alert_policy_model.objects.get_or_create(
        effective_from=FROM,
        defaults={"reminder_working_days": REMINDER_WORKING_DAYS, "source": SOURCE},
    )
