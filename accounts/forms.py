"""Sign-up as Korean users expect it: the person's name, the required consent to the
collection and use of personal information (with its items, purpose and retention period shown
above it) and the optional marketing consent. ``SignupForm`` is allauth's
``ACCOUNT_SIGNUP_FORM_CLASS``: allauth adds the email and password fields to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentVersion
from .services import record_consent


class ConsentFields(forms.Form):
    consent_personal_information = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information (required)"),
        error_messages={"required": _("Sign-up needs your consent to the collection and use "
                                      "of personal information: tick the box, please.")})
    consent_marketing = forms.BooleanField(
        label=_("I agree to receive news of calls and events by email (optional)"),
        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_version = ConsentVersion.objects.current()


class SignupForm(ConsentFields):
    full_name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("Your name as colleagues and the operating agency know you."),
        error_messages={"required": _("Enter your name, please.")})

    field_order = ["email", "password1", "password2", "full_name",
                   "consent_personal_information", "consent_marketing"]

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name, please."), code="required")
        return name

    def signup(self, request, user):
        """Called by allauth once the user is saved: the name and the consent."""
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        if self.consent_version is not None:
            record_consent(user, self.consent_version,
                           marketing=self.cleaned_data["consent_marketing"])


class ConsentForm(ConsentFields):
    """A new version of the consent texts, asked of a user who agreed to an earlier one."""

    required_message = {"required": _("To go on using the portal, agree to the collection and use "
                                    "of personal information, please.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_personal_information"].error_messages["required"] = (
            self.required_message["required"])
