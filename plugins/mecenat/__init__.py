"""The mecenat plugin: skills sponsorship ("mécénat de compétences", CGI art. 238 bis).

A company that lends employees to the network (ambassadors intervening on their working
time, under a sponsorship agreement) makes a donation in kind, valued at cost, that opens
a reduction of its income or corporate tax. The plugin links ambassadors to their employer
(``employers``), has partnership charters and sponsorship conventions signed through the
core's documents (``charters``, ``conventions``), keeps the hours given (``ledger``),
issues the receipts (``receipts``) and shows the region its partners (``overview``). It is
built on pure rules:

- ``valuation``: the value of the hours an employee gave (``value_of_time``), the monthly
  cost counted at most three times the monthly social-security ceiling (PSS);
- ``tax``: a year-by-year estimate of the reduction (``simulate``): the ceiling on the
  donations counted, the 60 % and 40 % rates, the donations carried over five years, the
  reduction carried over five years when it exceeds the tax due;
- ``parameters``: the figures the law sets (PSS by year, ceilings, rates, thresholds) as
  data with their sources, and the merge of a region's PSS overrides;
- ``money``: reading amounts (``Decimal``, never ``float``) and rounding them to the cent.

The rules use no database, no Flask, no clock: every date and amount is an argument. The
tax figures are an estimate; the declaration (2069-RCI-SD) is the company's. See
docs/plugins/mecenat.md.
"""

from tremplin.plugin import Plugin

plugin = Plugin.of(__name__)
