from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "sfo.alerts"
    label = "alerts"
    verbose_name = "Alerts: reminders and escalations of the clocks"
