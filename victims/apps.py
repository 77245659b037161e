from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = "Victims and families"

    def ready(self) -> None:
        """Open the entitlement tasks when a case comes to entitle its victims, and plug the
        disclosure pack into the document queue: the reviews and qa apps never import this one."""
        from reviews.signals import entitling_facts_changed
        from victims import pack
        from victims.services import on_entitling_facts_changed

        entitling_facts_changed.connect(
            on_entitling_facts_changed, dispatch_uid="victims.entitlement"
        )
        pack.register()
