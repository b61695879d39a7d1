from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str, **_: Any) -> None:
    """The database cache's table, made by `consejo migrate` so that no deploy step can miss it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


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
        # Also not a domain signal: the cache table is part of the schema, not of the record.
        post_migrate.connect(
            create_cache_table, sender=self, dispatch_uid="consejo.create_cache_table"
        )
