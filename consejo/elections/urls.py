from django.urls import path

from consejo.elections import views

urlpatterns = [
    path("bodies/<slug:slug>/elections/new/", views.election_new, name="election_new"),
    path("elections/", views.elections_index, name="elections"),
    path("elections/<int:election_id>/", views.election_detail, name="election"),
    path(
        "elections/<int:election_id>/nominate/",
        views.candidate_nominate,
        name="candidate_nominate",
    ),
    path(
        "elections/<int:election_id>/candidates/<int:candidate_id>/accept/",
        views.candidate_decide,
        {"decision": "accept"},
        name="candidate_accept",
    ),
    path(
        "elections/<int:election_id>/candidates/<int:candidate_id>/withdraw/",
        views.candidate_decide,
        {"decision": "withdraw"},
        name="candidate_withdraw",
    ),
    path("elections/<int:election_id>/vote/", views.ballot, name="ballot"),
    path("elections/<int:election_id>/tally/", views.tally, name="tally"),
    path("elections/<int:election_id>/close/", views.election_close, name="election_close"),
    path("elections/<int:election_id>/count/", views.election_count, name="election_count"),
    path("elections/<int:election_id>/results/", views.results, name="election_results"),
    path("elections/<int:election_id>/results.csv", views.results_csv, name="election_csv"),
    path("elections/<int:election_id>/ballots.blt", views.ballots_blt, name="election_blt"),
]
