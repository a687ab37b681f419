from django import forms

from moderation.models import EscalationStep, Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect,
                               label="What is the problem?")
    note = forms.CharField(widget=forms.Textarea, max_length=1000, required=False,
                           label="Anything else a moderator should know (optional)")


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea, max_length=1000, required=False,
                             label="Reason (the member sees this)")


class SuspendForm(forms.Form):
    days = forms.TypedChoiceField(coerce=int, label="For how long",
                                  choices=[(14, "2 weeks"), (30, "1 month"), (0, "Permanently")])
    reason = forms.CharField(widget=forms.Textarea, max_length=1000,
                             label="Reason (the member sees this)")


class EscalationForm(forms.Form):
    what_was_seen = forms.CharField(widget=forms.Textarea, max_length=2000,
                                    label="What was seen")


class EscalationStepForm(forms.Form):
    action = forms.ChoiceField(
        choices=[c for c in EscalationStep.Action.choices if c[0] != EscalationStep.Action.CLOSED],
        label="What was done",
    )
    note = forms.CharField(widget=forms.Textarea, max_length=2000, required=False, label="Note")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, max_length=2000, label="Note for the team")
