"""Statistics: the region's key figures by territory and period, exports, charts, alerts."""
