"""The rgpd plugin: people's data-protection rights (GDPR), requests and their deadlines.

A person may ask the network for access to their data, its rectification, erasure,
restriction or portability, or object to its processing (GDPR art. 15 to 21). The network
must answer within one month of receipt, or three when it extends the period in time
(art. 12(3)). The plugin is built on pure rules:

- ``deadlines``: the due dates of a request (``deadline``), whether an extension is still
  possible (``can_extend``) and the month arithmetic of Regulation (EEC, Euratom)
  No 1182/71 (``months_after``);
- ``holidays``: the French public holidays and working days that move a deadline falling on
  a Saturday, Sunday or public holiday to the next working day.

They read no clock, no database and no request: dates are arguments. On top of them:
``requests`` (filing, confirming, the officer's workflow and its log), ``exports`` (the
ZIP of a person's data behind a single-use link), ``rights`` (what answering each kind
does: erasure, restriction, objection), ``register`` (the article 30 register completed
with the region's data, as CSV and PDF), ``officers`` (the plugin's role of data
protection officer), ``reminders`` and ``privacy`` (the plugin's own data).
See ``docs/plugins/rgpd.md``.
"""

from tremplin.plugin import Plugin

plugin = Plugin.of(__name__)
