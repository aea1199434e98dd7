"""A conversation with the chat engine as the transport runs it: the state goes back in with
every message (tests/chatbot, tests/desk)."""

import json

from chatbot.engine import respond


class Chat:
    """`desk`: the desk gateway (default: the configured one). `to_json`: also serialise each
    result as the transport sends it (reads the cited pages, so it needs the database)."""

    def __init__(self, page_lang="zh-hans", *, desk=None, to_json=True):
        self.state = {}
        self.page_lang = page_lang
        self.desk = desk
        self.to_json = to_json
        self.results = []

    def say(self, text, choice=None, lang=None):
        result = respond(self.state, text, lang, page_lang=self.page_lang, choice=choice, desk=self.desk)
        json.dumps(result.state)  # the transport stores it as JSON
        if self.to_json:
            json.dumps(result.to_dict())
        self.state = result.state
        self.results.append(result)
        return result

    def press(self, result, choice_id):
        """Press the button with this id on the last reply that has it."""
        for reply in reversed(result.replies):
            for choice in reply.choices:
                if choice["id"] == choice_id:
                    return self.say(choice["label"], choice=choice_id)
        raise AssertionError(f"no button {choice_id} in {[r.choices for r in result.replies]}")


def choice_ids(result):
    return [c["id"] for reply in result.replies for c in reply.choices]
