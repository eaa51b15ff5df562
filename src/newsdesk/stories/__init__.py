"""Stories: coverage of one developing event grouped online, with timelines and related links."""
