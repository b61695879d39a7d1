from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "consejo.supply"
    label = "supply"
    verbose_name = _("Supply")

    def ready(self) -> None:
        from consejo.supply.replay import register_replay

        register_replay()
