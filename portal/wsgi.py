import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from .production import refuse_to_serve  # noqa: E402  (needs the settings loaded)

refuse_to_serve()  # gunicorn runs no system check
