from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sfo.people"
    label = "people"
    verbose_name = "People, organisations and roles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sfo.people.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="people.sync_role_groups")
