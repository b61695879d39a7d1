from django.urls import path

from consejo.supply import views

urlpatterns = [
    path("supply/", views.supply_index, name="supply"),
    path("supply/depots/<slug:slug>/", views.depot_detail, name="supply_depot"),
    path("supply/depots/<slug:slug>/count/", views.stock_count, name="supply_stock_count"),
    path("supply/recipients/<slug:slug>/", views.recipient_detail, name="supply_recipient"),
    path("supply/recipients/<slug:slug>/need/", views.need_new, name="supply_need"),
    path("supply/plans/<int:plan_id>/", views.plan_detail, name="supply_plan"),
    path("supply/plans/<int:plan_id>/vote/", views.plan_vote, name="supply_plan_vote"),
    path(
        "supply/plans/<int:plan_id>/input.json",
        views.plan_download,
        {"which": "input"},
        name="supply_plan_input",
    ),
    path(
        "supply/plans/<int:plan_id>/output.json",
        views.plan_download,
        {"which": "output"},
        name="supply_plan_output",
    ),
    path("supply/<slug:slug>/", views.committee_detail, name="supply_committee"),
    path("supply/<slug:slug>/propose/", views.plan_propose, name="supply_propose"),
    path("supply/<slug:slug>/recipients/", views.recipient_new, name="supply_recipient_new"),
    path("supply/<slug:slug>/routes/", views.route_new, name="supply_route_new"),
    path("supply/<slug:slug>/items/", views.item_new, name="supply_item_new"),
]
