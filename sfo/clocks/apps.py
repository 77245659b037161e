from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "sfo.clocks"
    label = "clocks"
    verbose_name = "Clocks, working days and deadlines policy"
