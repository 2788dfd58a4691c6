"""The worldskills plugin: regional selections, national finals, EuroSkills and WorldSkills.

For now it holds the rules only, as pure functions documented in
``docs/plugins/worldskills.md``: who may compete (``eligibility``), the marks of a skill
from its measurement and judgement aspects (``marking``), the WorldSkills Scale, medals and
medal points (``scoring``), and medal points per region or training centre (``tallies``).
The competitions, candidates, judges, marking entry and results pages come later, built on
these modules; the plugin has no hooks and no entry point yet.
"""
