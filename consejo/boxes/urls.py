from django.urls import path

from consejo.boxes import views

urlpatterns = [
    path("boxes/<slug:reference>/", views.box_page, name="box"),
    path("boxes/<slug:reference>/box.json", views.box_download, name="box_download"),
    path("boxes/<slug:reference>/step/", views.box_step, name="box_step"),
    path("boxes/<slug:reference>/trackers/", views.trackers, name="box_trackers"),
]
