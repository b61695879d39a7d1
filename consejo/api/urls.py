"""The REST API, ``/api/v1/``: OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from consejo.api.bodies import router as bodies_router
from consejo.api.boxes import router as boxes_router
from consejo.api.elections import router as elections_router
from consejo.api.ledger import router as ledger_router
from consejo.api.mandates import router as mandates_router
from consejo.api.supply import router as supply_router
from consejo.common.errors import error_body, error_json, http_status
from consejo.core.errors import ConsejoError

api = NinjaAPI(
    title="consejo",
    version="1",
    description="Council democracy and accountable distribution of vital supplies.",
    urls_namespace="api",
)
api.add_router("/bodies", bodies_router)
api.add_router("/ledger", ledger_router)
api.add_router("/elections", elections_router)
api.add_router("/boxes", boxes_router)
api.add_router("/mandates", mandates_router)
api.add_router("/supply", supply_router)


def _refuse_unknown_query_parameters(router: Any) -> None:
    """Make every operation of ``router`` (a mounted router) answer 422 to a query parameter
    that it does not declare.

    An unknown field in a request's JSON is refused (422); an unknown query parameter was
    silently ignored, so that a misspelt ``?limt=5`` or ``?curent=false`` answered as if it had
    not been sent, and the schema's promise (these parameters, no others) was not kept.
    """
    for view in router.path_operations.values():
        for operation in view.operations:
            declared = {
                name
                for model in operation.models
                if getattr(model, "__ninja_param_source__", "") == "query"
                for name in getattr(model, "__ninja_flatten_map__", {})
            }
            run = operation.run

            @wraps(run)
            def checked(
                request: HttpRequest, *args: Any, _run: Any = run, _known: Any = declared, **kw: Any
            ) -> Any:
                unknown = sorted(set(request.GET) - _known)
                if unknown:
                    shown = ", ".join(name[:40] for name in unknown[:5])
                    message = f"unknown query parameter: {shown}"
                    return api.create_response(request, error_json("invalid", message), status=422)
                return _run(request, *args, **kw)

            operation.run = checked


# The mounted routers hold clones of the operations: those are the ones that run (django-ninja
# 1.7's ``_get_bound_routers``, which also builds the URLs; tests/api/test_api_reads.py checks it).
for _mounted in api._get_bound_routers():
    _refuse_unknown_query_parameters(_mounted)


@api.exception_handler(ConsejoError)
def _consejo_error(request: HttpRequest, error: ConsejoError) -> HttpResponse:
    return api.create_response(request, error_body(error), status=http_status(error))


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    details = "; ".join(
        f"{'.'.join(str(p) for p in item.get('loc', []))}: {item.get('msg', '')}"
        for item in error.errors
    )
    body = error_json("invalid", details or "invalid request")
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    codes = {400: "invalid", 401: "unauthenticated", 403: "permission_denied", 404: "not_found"}
    code = codes.get(error.status_code, "error")
    body = error_json(code, str(error.message))
    return api.create_response(request, body, status=error.status_code)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    body = error_json("unauthenticated", "a valid API token is required")
    return api.create_response(request, body, status=401)
