"""The stages plugin: pupils' discovery internships with employers of the network.

Three kinds of stay, each with its own rules of dates and length: the observation
sequence of 3e (and 4e), five days in school time; the seconde's two weeks in June, at one
or two hosts; and the mini-stages of one to five days during the school holidays. Every
pupil, whatever the stay, is protected by the rules of the Code du travail on young
workers: hours a day and a week, breaks, night, daily and weekly rest.

This version holds the computations only, as pure functions (``rules``); offers,
placements, conventions and their signatures will be built on top of them.
"""
