"""The performance harness of Tremplin: ``python -m benchmarks.run`` (docs/performance.md).

Not part of the test run (pytest's ``testpaths`` is ``tests``): each workload is measured
against a floor measured in the same run, and the results are reported as ratios.
"""
