"""The stages plugin: pupils' discovery internships with employers of the network.

Three kinds of stay, each with its own rules of dates and length: the observation
sequence of 3e (and 4e), five days in school time; the seconde's two weeks in June, at one
or two hosts; and the mini-stages of one to five days during the school holidays. Every
pupil, whatever the stay, is protected by the rules of the Code du travail on young
workers: hours a day and a week, breaks, night, daily and weekly rest.

The rules are pure functions (``rules``). On them: hosts publish offers and referents
highlight them (``offers``); teachers propose pupils and hosts answer, within their places
(``placements``); each placement's weekly schedule is checked (``schedule``); its
convention is printed from the region's model and signed by every party through the core's
documents (``conventions``); afterwards come the attendance certificate, the host's
evaluation and the pupil's report (``after``), and the figures and the referents' list of
priority classes without placement (``overview``). See docs/plugins/stages.md.
"""

from tremplin.plugin import Plugin

plugin = Plugin.of(__name__)
