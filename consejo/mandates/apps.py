from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "consejo.mandates"
    label = "mandates"
    verbose_name = _("Mandates")

    def ready(self) -> None:
        from consejo.bodies.dependents import register_dependents
        from consejo.mandates.dependents import MandateDependents
        from consejo.mandates.replay import register_replay

        register_replay()
        register_dependents(MandateDependents())
