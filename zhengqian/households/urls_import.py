"""URLs of the register workbook, the survey sheet and the map (views_import.py), included
into households/urls.py, so their names are households:import_new and so on."""

from django.urls import path

from . import views_import

urlpatterns = [
    path("import/", views_import.import_new, name="import_new"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("imports/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views_import.import_progress, name="import_progress"),
    path("imports/<int:pk>/report.xlsx", views_import.import_report, name="import_report"),
    path("projects/<int:project_id>/export.xlsx", views_import.export_register, name="export_register"),
    path("projects/<int:project_id>/map/", views_import.map_project, name="map_project"),
    path("<int:pk>/survey-sheet/", views_import.survey_sheet, name="survey_sheet"),
    path("<int:pk>/survey-sheet.pdf", views_import.survey_sheet_pdf, name="survey_sheet_pdf"),
]
