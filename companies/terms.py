"""The vocabulary of the supplier pool: the specialties, industries and processes suppliers
name most, marked for the catalogues so that a term stored in Korean shows in English on
English pages (``portal.text.in_reader_language``). A term outside it shows as typed."""

from django.utils.translation import gettext_noop

VOCABULARY = [
    # specialties
    gettext_noop("MES"), gettext_noop("ERP"), gettext_noop("Process management"),
    gettext_noop("Equipment monitoring"), gettext_noop("Collaborative robots"),
    gettext_noop("Vision inspection"), gettext_noop("Automatic packaging"),
    gettext_noop("Data analysis"), gettext_noop("IoT sensors"),
    gettext_noop("Energy management"), gettext_noop("Smart HACCP"),
    # industries
    gettext_noop("Food"), gettext_noop("Beverages"), gettext_noop("Chemicals"),
    gettext_noop("Metalworking"), gettext_noop("Agricultural life bio"),
    # processes
    gettext_noop("Blending"), gettext_noop("Fermentation"), gettext_noop("Filling"),
    gettext_noop("Packaging"), gettext_noop("Sorting"), gettext_noop("Inspection"),
    gettext_noop("Production planning"), gettext_noop("Quality control"),
    gettext_noop("Cold storage"), gettext_noop("Drying"), gettext_noop("Sterilisation"),
]
