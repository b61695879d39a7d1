"""gunicorn's configuration for consejo (``consejo serve`` runs gunicorn with it).

Behind a proxy (nginx or Caddy) that terminates TLS and buffers slow clients: sync workers, each a
process of its own, so that a crash or a leak stays in one worker. Environment:

    CONSEJO_BIND      address to listen on, default ``127.0.0.1:8000`` (``unix:/run/…`` works too)
    CONSEJO_WORKERS   worker processes, default two per core plus one
    CONSEJO_TIMEOUT   seconds a request may take before its worker is restarted, default 60
"""

from __future__ import annotations

import os

bind = [os.environ.get("CONSEJO_BIND") or "127.0.0.1:8000"]
workers = int(os.environ.get("CONSEJO_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
timeout = int(os.environ.get("CONSEJO_TIMEOUT") or 60)
graceful_timeout = 30
# A worker is replaced after a thousand requests or so, so that no slow leak grows for weeks.
max_requests = 1000
max_requests_jitter = 100
wsgi_app = "consejo.wsgi:application"
# Whether X-Forwarded-Proto is believed is consejo's decision (CONSEJO_BEHIND_PROXY in the
# settings), not gunicorn's: gunicorn would otherwise believe it from any local address.
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""
# Errors to stderr (the journal); no access log: the addresses of the people who vote are kept
# nowhere by consejo.
errorlog = "-"
accesslog = None
# gunicorn's control socket is one file per user: two installations would fight over it.
control_socket_disable = True
