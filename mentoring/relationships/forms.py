"""Forms for relationships and session logs. The session log form is built from a model's data."""

from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional

from mentoring.core.forms import DateInputField, MultiCheckboxField, WholeNumberField, choices_of
from mentoring.core.vocabulary import FORMATS, TOPICS
from mentoring.relationships.frameworks import MentoringModel, model_choices
from mentoring.relationships.session_models import MAX_NOTE_CHARS
from mentoring.relationships.session_services import NewAction, SessionDetails, StageEntry
from mentoring.relationships.vocabulary import (
    ACTION_STATUSES,
    ENDING_REASONS,
    HELPFULNESS,
    MEETING_FREQUENCIES,
    SIGNPOST_KINDS,
)

ACTION_ROWS = 3
# Long writing must not be lost to an expired token: these forms' tokens last a working day.
LONG_WRITING_TOKEN_LIFE = int(timedelta(hours=12).total_seconds())


class LongWritingForm(FlaskForm):
    class Meta:
        csrf_time_limit = LONG_WRITING_TOKEN_LIFE


class AgreementForm(LongWritingForm):
    model = SelectField("Model you will use", choices=[])
    meeting_frequency = SelectField(
        "How often you will meet", choices=choices_of(MEETING_FREQUENCIES)
    )
    meeting_format = SelectField("How you will usually meet", choices=choices_of(FORMATS))
    planned_sessions = WholeNumberField(
        "Planned number of sessions",
        default=6,
        description="When you reach it, you review together: extend or close",
        validators=[InputRequired("Enter the number of sessions you plan")],
    )
    notes = TextAreaField(
        "Anything else you agreed (optional)",
        description="For example, how to get in touch between sessions",
    )
    confidentiality_understood = BooleanField(
        "We have talked through what stays confidential, its limits, and how either of us can end"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.model.choices = choices_of(model_choices())


class ExtendForm(FlaskForm):
    extra_sessions = WholeNumberField(
        "How many more sessions?",
        default=3,
        validators=[InputRequired("Enter how many more sessions you plan")],
    )


class EndForm(FlaskForm):
    reason = RadioField("Why is it ending?", choices=[], validators=[Optional()])

    def __init__(self, *args, mentee: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = choices_of(c for c in ENDING_REASONS if c[0] != "not_given")
        if mentee:
            self.reason.label.text = "Why is it ending? (optional: you do not have to say)"


class FeedbackForm(FlaskForm):
    helpfulness = RadioField(
        "How helpful was mentoring for you?",
        choices=choices_of(HELPFULNESS),
        validators=[InputRequired("Choose how helpful mentoring was")],
    )
    would_recommend = RadioField(
        "Would you recommend the scheme to a colleague?",
        choices=choices_of((("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))),
        validators=[Optional()],
    )


class ScheduleForm(FlaskForm):
    date = DateInputField("Date", validators=[InputRequired("Enter the date")])
    time = TimeField("Start time", validators=[InputRequired("Enter a start time, like 18:30")])
    format = SelectField("How you will meet", choices=choices_of(FORMATS))


class ActionUpdateForm(LongWritingForm):
    status = RadioField("Status", choices=choices_of(ACTION_STATUSES))
    reflection = TextAreaField(
        "Your reflection (optional)",
        description="Only you and your mentor can read it",
        validators=[Length(max=MAX_NOTE_CHARS)],
    )


class SessionLogFormBase(LongWritingForm):
    held_on = DateInputField("Date of the session", validators=[InputRequired("Enter the date")])
    minutes = WholeNumberField(
        "How long it lasted, in minutes",
        validators=[InputRequired("Enter how long the session lasted")],
    )
    format = SelectField("How you met", choices=choices_of(FORMATS))
    model = HiddenField()
    version = HiddenField()
    topics = MultiCheckboxField("Topics discussed", choices=choices_of(TOPICS))
    signposts = MultiCheckboxField(
        "Signposting made (the kind of service only)", choices=choices_of(SIGNPOST_KINDS)
    )
    summary = TextAreaField(
        "Shared summary", description="Your mentee can read this. Keep it short and in their words."
    )
    reflection = TextAreaField(
        "Your private reflection",
        description="Only you can read this: not your mentee, not the coordinators.",
    )

    # Set by `session_log_form_class`.
    mentoring_model: MentoringModel

    def stage_fields(self):
        """(stage, notes field, [number fields]) in the model's order, for the template."""
        for stage in self.mentoring_model.stages:
            notes = self[f"stage_{stage.key}"]
            numbers = [self[f"stage_{stage.key}_{n.key}"] for n in stage.numbers]
            yield stage, notes, numbers

    def action_fields(self):
        return [(self[f"action_{i}_text"], self[f"action_{i}_due"]) for i in range(ACTION_ROWS)]

    def details(self) -> SessionDetails:
        stages = [
            StageEntry(
                stage=stage.key,
                notes=notes.data or "",
                numbers={n.key: self[f"stage_{stage.key}_{n.key}"].data for n in stage.numbers},
            )
            for stage, notes, _numbers in self.stage_fields()
        ]
        actions = []
        for text, due in self.action_fields():
            if (text.data or "").strip() or due.data:
                actions.append(NewAction(text=text.data or "", due_on=due.data))
        return SessionDetails(
            held_on=self.held_on.data,
            minutes=self.minutes.data,
            format=self.format.data,
            model=self.mentoring_model.key,
            stages=stages,
            topics=self.topics.data or [],
            signposts=self.signposts.data or [],
            summary=self.summary.data or "",
            reflection=self.reflection.data or "",
            actions=actions,
        )

    @classmethod
    def data_from(cls, log) -> dict:
        data = {
            "held_on": log.held_on,
            "minutes": log.minutes,
            "format": log.format,
            "model": log.model,
            "version": str(log.version),
            "topics": log.topics,
            "signposts": log.signposts,
            "summary": log.summary or "",
            "reflection": log.reflection or "",
        }
        for note in log.stage_notes:
            data[f"stage_{note.stage}"] = note.notes or ""
            if note.number_field:
                data[f"stage_{note.stage}_{note.number_field}"] = note.number_value
        return data


_FORM_CLASSES: dict[str, type[SessionLogFormBase]] = {}


def session_log_form_class(model: MentoringModel) -> type[SessionLogFormBase]:
    """A form class with one notes field per stage of `model`, and its numbers: built once per
    model and process (a class's fields are unbound; each request binds its own form)."""
    form_class = _FORM_CLASSES.get(model.key)
    if form_class is None or form_class.mentoring_model is not model:
        form_class = _FORM_CLASSES[model.key] = _form_class_for(model)
    return form_class


def _form_class_for(model: MentoringModel) -> type[SessionLogFormBase]:
    fields: dict = {"mentoring_model": model}
    for stage in model.stages:
        fields[f"stage_{stage.key}"] = TextAreaField(stage.label)
        for number in stage.numbers:
            fields[f"stage_{stage.key}_{number.key}"] = WholeNumberField(
                number.label, description=number.hint
            )
    for i in range(ACTION_ROWS):
        fields[f"action_{i}_text"] = StringField(f"Action {i + 1}")
        fields[f"action_{i}_due"] = DateInputField(f"Action {i + 1}: due by (optional)")
    return type(f"SessionLogForm_{model.key}", (SessionLogFormBase,), fields)
