from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "consejo.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from consejo.elections.replay import register_replay

        register_replay()
