from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("identify/", views.identify_case, name="identify"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/notification/", views.notification, name="notification"),
    path("<int:pk>/notification/check/", views.notification_check, name="notification_check"),
    path("<int:pk>/registration/", views.registration, name="registration"),
    path("<int:pk>/allocation/", views.allocation, name="allocation"),
    path("<int:pk>/court-outcome/", views.court_outcome, name="court_outcome"),
    path("<int:pk>/actions/<slug:name>/", views.case_action, name="case_action"),
]
