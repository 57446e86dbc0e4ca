"""Small view mixins shared by every app."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404


class RulesRequiredMixin(LoginRequiredMixin):
    """Require a django-rules permission; a signed-in user without it gets 404, not 403.

    ``permission_required`` is checked against ``get_permission_object()`` (None by default;
    object views return their object, already looked up in a queryset scoped to the user).
    """

    permission_required: str = ""

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.request = request
        self.args, self.kwargs = args, kwargs
        if not rules.has_perm(self.permission_required, request.user,
                              self.get_permission_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
