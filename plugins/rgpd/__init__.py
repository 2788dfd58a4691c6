"""The rgpd plugin: people's data-protection rights (GDPR), requests and their deadlines.

A person may ask the network for access to their data, its rectification, erasure,
restriction or portability, or object to its processing (GDPR art. 15 to 21). The network
must answer within one month of receipt, or three when it extends the period in time
(art. 12(3)). This package holds, for now, the pure rules those deadlines follow:

- ``deadlines``: the due dates of a request (``deadline``), whether an extension is still
  possible (``can_extend``) and the month arithmetic of Regulation (EEC, Euratom)
  No 1182/71 (``months_after``);
- ``holidays``: the French public holidays and working days that move a deadline falling on
  a Saturday, Sunday or public holiday to the next working day.

They read no clock, no database and no request: dates are arguments. The requests
workflow, the exports, erasure and the art. 30 register come later, on top of them.
See ``docs/plugins/rgpd.md``.
"""
