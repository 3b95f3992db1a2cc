"""The mentoring models a session log follows, each defined once, as data.

A model is an ordered list of stages; each stage has a short purpose, two to four open prompt
questions, optional sub-steps (Egan) and optional numeric fields (OSKAR's 0-10 scaling). The session
log form, its validation and the pages showing a log are all built from these definitions, so a new
model needs an entry here (or a `register_model` call) and nothing else.

Labels are plain data on purpose: editions of Egan differ in their wording, so change them here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberField:
    """A stage-specific number, stored as a number (not in the note text)."""

    key: str
    label: str
    minimum: int
    maximum: int
    hint: str = ""


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    purpose: str
    prompts: tuple[str, ...]
    steps: tuple[str, ...] = ()
    numbers: tuple[NumberField, ...] = ()


@dataclass(frozen=True)
class MentoringModel:
    key: str
    label: str
    stages: tuple[Stage, ...]
    summary: str = ""

    def stage(self, key: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(stage.key for stage in self.stages)


GROW = MentoringModel(
    key="grow",
    label="GROW",
    summary="Goal, Reality, Options, Will",
    stages=(
        Stage(
            "goal",
            "Goal",
            "Agree what the mentee wants from this conversation and beyond it.",
            (
                "What would you like to get from our time today?",
                "What would be different if you achieved this?",
                "How will you know you have got there?",
            ),
        ),
        Stage(
            "reality",
            "Reality",
            "Explore where things stand now, without judging.",
            (
                "What is happening at the moment?",
                "What have you tried so far, and what happened?",
                "What is getting in the way?",
            ),
        ),
        Stage(
            "options",
            "Options",
            "Widen the choices the mentee can see for themselves.",
            (
                "What could you do?",
                "What else? What would someone you admire do?",
                "What are the benefits and costs of each option?",
            ),
        ),
        Stage(
            "will",
            "Will (way forward)",
            "Turn a chosen option into steps the mentee owns.",
            (
                "What will you do, and by when?",
                "What support do you need, and from whom?",
                "How committed are you to this, and what might stop you?",
            ),
        ),
    ),
)

EGAN = MentoringModel(
    key="egan",
    label="Egan Skilled Helper",
    summary="Current scenario, preferred scenario, action strategies",
    stages=(
        Stage(
            "current",
            "1 Current scenario",
            "What is going on? Help the mentee tell their story and find what matters most.",
            (
                "What is going on for you at the moment?",
                "What might you be missing, or seeing from only one side?",
                "Of all this, what would make the biggest difference if it changed?",
            ),
            steps=("Story", "Blind spots", "Leverage"),
        ),
        Stage(
            "preferred",
            "2 Preferred scenario",
            "What do I want instead? Imagine a better future and choose what to aim for.",
            (
                "What would things look like if they were going well?",
                "Which of these possibilities do you want most?",
                "What are you willing to commit to?",
            ),
            steps=("Possibilities", "Change agenda", "Commitment"),
        ),
        Stage(
            "action",
            "3 Action strategies",
            "How do I get there? Find ways forward and choose a plan.",
            (
                "What are all the ways you could get there?",
                "Which of these fits you and your situation best?",
                "What are the first steps, and when will you take them?",
            ),
            steps=("Possible actions", "Best fit", "Plan"),
        ),
    ),
)

CLEAR = MentoringModel(
    key="clear",
    label="CLEAR",
    summary="Contract, Listen, Explore, Action, Review",
    stages=(
        Stage(
            "contract",
            "Contract",
            "Agree the focus and the outcome wanted from this session.",
            (
                "What would you like to focus on today?",
                "What would make this conversation worthwhile for you?",
            ),
        ),
        Stage(
            "listen",
            "Listen",
            "Listen actively so the mentee understands their situation better.",
            (
                "Can you tell me more about that?",
                "What does this mean for you?",
                "How are you feeling about it?",
            ),
        ),
        Stage(
            "explore",
            "Explore",
            "Explore the situation's effect on the mentee and the possibilities open to them.",
            (
                "What would it be like if nothing changed?",
                "What possibilities can you see?",
                "What has worked for you before in a similar situation?",
            ),
        ),
        Stage(
            "action",
            "Action",
            "Agree the next steps the mentee will take.",
            (
                "What is the first step you will take?",
                "When will you do it?",
                "What could get in the way, and how will you handle it?",
            ),
        ),
        Stage(
            "review",
            "Review",
            "Look back on the session and what was agreed.",
            (
                "What have you taken from today?",
                "What was useful, and what could we do differently next time?",
            ),
        ),
    ),
)

OSKAR = MentoringModel(
    key="oskar",
    label="OSKAR",
    summary="Outcome, Scaling, Know-how, Affirm and action, Review",
    stages=(
        Stage(
            "outcome",
            "Outcome",
            "Describe the outcome wanted, today and in the longer run.",
            (
                "What do you want to achieve from this conversation?",
                "If things were as you want them, what would you notice?",
            ),
        ),
        Stage(
            "scaling",
            "Scaling",
            "Rate where things are now, on a scale where 10 is the outcome achieved.",
            (
                "On a scale of 0 to 10, where are you now?",
                "What puts you at that number and not lower?",
                "What would one point higher look like?",
            ),
            numbers=(
                NumberField(
                    "rating",
                    "Where the mentee rates themselves now (0 to 10)",
                    0,
                    10,
                    "10 is the outcome achieved; 0 is the opposite",
                ),
            ),
        ),
        Stage(
            "know_how",
            "Know-how",
            "Find the skills, resources and past successes the mentee already has.",
            (
                "When does the outcome already happen, even a little?",
                "What did you do that helped?",
                "Who or what else could help?",
            ),
        ),
        Stage(
            "affirm_action",
            "Affirm and action",
            "Recognise what is going well and agree a small next step.",
            (
                "What are you already doing well?",
                "What is the smallest step that would move you one point up?",
            ),
        ),
        Stage(
            "review",
            "Review",
            "At the next meeting: what is better, and what helped?",
            (
                "What is better since we last met?",
                "What did you do that made the difference?",
                "What will you do next?",
            ),
        ),
    ),
)

OTHER = MentoringModel(
    key="other",
    label="Another model",
    summary="A general structure for another model the pair prefers",
    stages=(
        Stage(
            "focus",
            "Focus",
            "Agree what the conversation is about.",
            ("What would you like to talk about today?", "What would a good outcome be?"),
        ),
        Stage(
            "exploration",
            "Exploration",
            "Explore the situation and the possibilities open to the mentee.",
            ("What is happening at the moment?", "What could you do?"),
        ),
        Stage(
            "way_forward",
            "Way forward",
            "Agree next steps the mentee owns.",
            ("What will you do next, and by when?", "What support do you need?"),
        ),
    ),
)

_MODELS: dict[str, MentoringModel] = {}


def register_model(model: MentoringModel) -> MentoringModel:
    """Make a model available to session logs. Keys are stored in the database: never reuse one."""
    if not model.stages or any(not 2 <= len(s.prompts) <= 4 for s in model.stages):
        raise ValueError("a model needs stages, each with two to four prompts")
    if len(set(model.stage_keys)) != len(model.stages):
        raise ValueError("stage keys must be unique within a model")
    _MODELS[model.key] = model
    return model


def unregister_model(key: str) -> None:
    _MODELS.pop(key, None)


for _model in (EGAN, GROW, CLEAR, OSKAR, OTHER):
    register_model(_model)


def all_models() -> list[MentoringModel]:
    return list(_MODELS.values())


def model_of(key: str | None) -> MentoringModel | None:
    return _MODELS.get(key or "")


def model_choices() -> list[tuple[str, str]]:
    return [(model.key, model.label) for model in _MODELS.values()]


def model_label(key: str | None) -> str:
    model = model_of(key)
    return model.label if model else (key or "")


__all__ = [
    "CLEAR",
    "EGAN",
    "GROW",
    "OSKAR",
    "MentoringModel",
    "NumberField",
    "Stage",
    "all_models",
    "model_choices",
    "model_label",
    "model_of",
    "register_model",
]
