from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoxesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consejo.boxes"
    verbose_name = _("sealed ballot boxes")

    def ready(self) -> None:
        from consejo.boxes.replay import register_replay

        register_replay()
