from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils import timezone

from community import permissions
from community.avatars import AVATAR_CHOICES, DEFAULT_AVATAR
from community.converters import parse_id
from community.identity import DISPLAY_NAME_MAX, validate_display_name
from community.models import (
    NotificationSettings,
    Resource,
    SafetyPlan,
    Space,
    Therapy,
    Topic,
    User,
)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "This account is closed.",
    }


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Your invitation code", max_length=200,
        help_text="It is at the end of the joining link your therapist gave you.",
    )


class JoinForm(forms.Form):
    SERVICE_FIELDS = ("email", "password", "first_name", "last_name", "display_name", "avatar")

    first_name = forms.CharField(
        max_length=150, label="First name",
        help_text="Private: only Harbour's admins see it. We use it to make sure your display "
        "name doesn't give away who you are.",
    )
    last_name = forms.CharField(max_length=150, label="Last name", help_text="Private, as above.")
    email = forms.EmailField(
        max_length=254, label="Email address",
        help_text="Private: you sign in with it, and we use it to help you reset a forgotten "
        "password.",
    )
    display_name = forms.CharField(
        max_length=DISPLAY_NAME_MAX, label="Display name",
        help_text="What other members see. Don't use your real name, email or phone number.",
    )
    avatar = forms.ChoiceField(
        choices=AVATAR_CHOICES, initial=DEFAULT_AVATAR, widget=forms.RadioSelect,
        label="Choose a picture",
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False, help_text=password_validators_help_text_html(),
    )
    agree = forms.BooleanField(
        label="I have read the community agreement and I agree to it",
        error_messages={"required": "You need to agree to the community agreement to join."},
    )

    def clean(self):
        cleaned = super().clean()
        if "display_name" in cleaned:
            try:
                cleaned["display_name"] = validate_display_name(
                    cleaned["display_name"],
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
            except ValidationError as error:
                self.add_error("display_name", error)
        return cleaned


class IdChoiceField(forms.ModelMultipleChoiceField):
    """Refuses values that cannot be database ids before the database sees them."""

    def _check_values(self, value):
        if any(parse_id(item) is None for item in value):
            raise ValidationError("Choose from the list.", code="invalid_choice")
        return super()._check_values(value)


class InvitationForm(forms.Form):
    role = forms.ChoiceField(label="They are joining as", widget=forms.RadioSelect)
    spaces = IdChoiceField(
        queryset=Space.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Spaces it opens",
    )
    therapy_completed = forms.ChoiceField(
        choices=[("", "Not given")] + Therapy.choices, required=False,
        label="Therapy they completed (optional)",
    )
    valid_days = forms.IntegerField(
        min_value=1, max_value=90, initial=settings.INVITATION_DEFAULT_DAYS,
        label="Days until it expires",
    )
    label = forms.CharField(
        max_length=60, required=False, label="A note to recognise it by (optional)",
        help_text="Only you see this. Initials are enough: please don't write full names.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        roles = permissions.invitable_roles(user)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["role"].initial = roles[0].value if roles else None
        self.fields["spaces"].queryset = Space.objects.visible_to(user)

    @property
    def expires_at(self):
        return timezone.now() + timedelta(days=self.cleaned_data["valid_days"])


class KeyGrantForm(forms.Form):
    display_name = forms.CharField(max_length=DISPLAY_NAME_MAX, label="Display name")
    moderates = forms.BooleanField(
        required=False, label="Moderates this space (moderating team only)"
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        user = User.objects.filter(display_name__iexact=name, is_active=True).first()
        if user is None:
            raise ValidationError("Nobody has that display name.")
        return user


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["replies", "quotes", "mentions", "email"]


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app", max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError("The code is six digits.")
        return token


class StoryForm(forms.Form):
    title = forms.CharField(max_length=150)
    summary = forms.CharField(max_length=300, label="In a sentence or two")
    body = forms.CharField(widget=forms.Textarea, max_length=20_000, label="Your story",
                           help_text="Leave out names and places that could identify anyone.")


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(choices=Resource.Kind.choices)
    title = forms.CharField(max_length=150)
    summary = forms.CharField(max_length=300)
    body = forms.CharField(widget=forms.Textarea, required=False,
                           label="Text (the article, or a video's transcript)")
    url = forms.URLField(required=False, assume_scheme="https",
                         label="Address (the page to link to, or a YouTube or Vimeo video)")
    minutes = forms.IntegerField(min_value=1, max_value=600, initial=5,
                                 label="Watching time in minutes (videos)")
    video_file = forms.FileField(required=False, label="Or upload a video (MP4 or WebM)")
    captions_file = forms.FileField(required=False, label="Captions for the upload (WebVTT)")
    audience = forms.ChoiceField(choices=Resource.Audience.choices)
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    publish = forms.BooleanField(required=False, label="Publish now")


class SafetyPlanForm(forms.Form):
    warning_signs = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    coping_alone = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    distractions = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    people_to_ask = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    professionals = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    safer_surroundings = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    reasons_for_living = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    shared_with_team = forms.BooleanField(
        required=False, label="Share my safety plan with the moderating team of my spaces",
        help_text="They can then see it if they are worried about you. You can stop sharing at "
        "any time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SafetyPlan.SECTIONS:
            self.fields[name].label = label


class BreakForm(forms.Form):
    until = forms.DateField(label="Pause notifications until",
                            widget=forms.DateInput(attrs={"type": "date"}))


class DeleteAccountForm(forms.Form):
    delete_text = forms.BooleanField(
        required=False, label="Also delete the text of my posts and Wall messages",
        help_text="Replies by others stay. Without this, your posts stay, shown as written by "
        "a former member.",
    )
    password = forms.CharField(widget=forms.PasswordInput, strip=False,
                               label="Your password, to confirm")
