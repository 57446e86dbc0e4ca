from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import CODE_ALPHABET, normalise_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("awards", "Verification code"), max_length=30,
        help_text=_("The code printed on the notice, such as ABCD-EFGH-JKMN."),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        symbols = code.replace("-", "")
        if len(symbols) != 12 or any(c not in CODE_ALPHABET for c in symbols):
            raise forms.ValidationError(
                _("A verification code has 12 letters and digits, such as ABCD-EFGH-JKMN."),
                code="format")
        return code
