from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CommonConfig(AppConfig):
    name = "consejo.common"
    label = "common"
    verbose_name = "consejo"

    def ready(self) -> None:
        from consejo.common.database import configure_connection

        # A connection-level hook, not a domain signal: it runs for every new connection, in
        # every process, so no code path can reach the database without the durability pragmas.
        connection_created.connect(
            configure_connection, dispatch_uid="consejo.configure_connection"
        )
