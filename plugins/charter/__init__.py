"""The charter plugin: what an ambassador must have done before being found and requested.

The charter of the network, accepted again for each new version; the check of an extract
of the criminal record (bulletin n°3) by a referent, renewed periodically; and, when the
region requires them, the employer's agreement of a salaried ambassador and a
civil-liability insurance. Until each is done, the plugin holds the ambassador back
(``tremplin.people.holds``): out of the directory and out of requests.
"""

from tremplin.plugin import Plugin

plugin = Plugin.of(__name__)
