from django import forms

from forums.filters import THEMES
from forums.models import POST_BODY_MAX, THREAD_TITLE_MAX, Category

ASK_FOR_CHECK_LABEL = "Ask a moderator to check this before it is shown"


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=THREAD_TITLE_MAX, label="Title")
    body = forms.CharField(
        max_length=POST_BODY_MAX, widget=forms.Textarea, label="Your post",
        help_text="You can use *italics*, **bold**, > quotes and lists.",
    )
    ask_for_check = forms.BooleanField(required=False, label=ASK_FOR_CHECK_LABEL)


class ReplyForm(forms.Form):
    body = forms.CharField(max_length=POST_BODY_MAX, widget=forms.Textarea, label="Your reply")
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ask_for_check = forms.BooleanField(required=False, label=ASK_FOR_CHECK_LABEL)


class EditForm(forms.Form):
    body = forms.CharField(max_length=POST_BODY_MAX, widget=forms.Textarea, label="Your post")


class HideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea, max_length=1000, label="Why is it hidden?",
        help_text="The author sees this, privately, with where to find support.",
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return f"{category.space.name}: {category.name}"


class MoveForm(forms.Form):
    category = CategoryChoiceField(queryset=Category.objects.none(), label="Move to")

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories.select_related("space")


class MuteForm(forms.Form):
    phrase = forms.CharField(max_length=60, required=False, label="A word or phrase")
    theme = forms.ChoiceField(
        required=False, label="Or a theme",
        choices=[("", "Choose a theme")] + [(key, label) for key, (label, _) in THEMES.items()],
    )


class IgnoreForm(forms.Form):
    display_name = forms.CharField(max_length=30, label="Display name")
