"""Forms for sign-up and team pages."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Role, Team


class SignupForm(UserCreationForm):
    """Username and password (checked by AUTH_PASSWORD_VALIDATORS); email only for password resets."""

    email = forms.EmailField(
        required=False, help_text="Optional. Only used to reset your password if you forget it."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ("name",)
        labels = {"name": "Team name"}
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "e.g. Customer experience", "autofocus": True})
        }


class InviteForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
