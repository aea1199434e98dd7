"""What the engine returns: replies to show, the new state to store, actions for the transport."""

from dataclasses import asdict, dataclass, field


@dataclass
class Reply:
    """One bot message. `sources` are {"key", "title", "url"}; `choices` are {"id", "label"}
    buttons (the transport sends the id back as `choice`); `links` are extra links such as
    {"label": "110", "url": "tel:110"} for emergency numbers."""

    text: str
    intent: str
    lang: str
    sources: list = field(default_factory=list)
    choices: list = field(default_factory=list)
    links: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


@dataclass
class EngineResult:
    """replies in order; state is JSON-serialisable (the transport stores it as it is);
    actions are dicts with a "type" (docs/chatbot.md lists them)."""

    replies: list
    state: dict
    actions: list = field(default_factory=list)

    @property
    def intents(self):
        return [reply.intent for reply in self.replies]

    @property
    def text(self):
        return "\n".join(reply.text for reply in self.replies)

    def action_types(self):
        return [action["type"] for action in self.actions]

    def to_dict(self):
        return {"replies": [r.to_dict() for r in self.replies], "state": self.state, "actions": list(self.actions)}
