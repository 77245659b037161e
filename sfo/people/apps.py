from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sfo.people"
    label = "people"
    verbose_name = "People, organisations and roles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from sfo.people.roles import sync_role_groups
        from sfo.people.signals import end_sessions_of_disabled_account

        post_migrate.connect(sync_role_groups, dispatch_uid="people.sync_role_groups")
        post_save.connect(
            end_sessions_of_disabled_account,
            sender=self.get_model("User"),
            dispatch_uid="people.end_sessions_of_disabled_account",
        )
