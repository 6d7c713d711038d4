"""Payment messages: ISO 20022 (pacs.008, pacs.009, pain.001) and SWIFT MT (103, 202, 202COV).

``read_messages(path)`` parses a file into typed :class:`~sanctionwatch.messages.model.Message`
objects (parties with their roles and field paths, free-text fields); ``screen.MessageScreener``
turns each into a ``hold`` / ``pass`` verdict with located reasons.
"""
