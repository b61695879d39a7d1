from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "consejo.bodies"
    label = "bodies"
    verbose_name = _("Bodies and members")

    def ready(self) -> None:
        from consejo.bodies.replay import register_replay

        register_replay()
