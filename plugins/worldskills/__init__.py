"""The worldskills plugin: regional selections, national finals, EuroSkills and WorldSkills.

Built on pure rules, documented in ``docs/plugins/worldskills.md``: who may compete
(``eligibility``), the marks of a skill from its measurement and judgement aspects
(``marking``), the WorldSkills Scale, medals and medal points (``scoring``), and medal
points per region or training centre (``tallies``). On them:

- ``competitions``: competitions, their skills (numbered per edition) and marking schemes;
- ``candidates``: registration, the referent's check, the CSV import;
- ``judges``: experts and judges of a skill, and the links they declare with candidates;
- ``marks``: marks entered per judge, locked by the chief expert, every change logged;
- ``results``: scale scores, medals, the public results, the CSV, the certificates, the
  selection for the next level;
- ``invitations``: medallists and finalists invited to become ambassadors;
- ``figures`` and ``privacy``: key figures and the GDPR.
"""

from tremplin.plugin import Plugin

plugin = Plugin.of(__name__)
