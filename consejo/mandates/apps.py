from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "consejo.mandates"
    label = "mandates"
    verbose_name = _("Mandates")

    def ready(self) -> None:
        from consejo.mandates.replay import register_replay

        register_replay()
